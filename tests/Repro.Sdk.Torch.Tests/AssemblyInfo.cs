// libtorch's generators and determinism switches are process-wide: tests that set them must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
