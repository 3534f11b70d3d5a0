using System.Runtime.InteropServices;
using TorchSharp;

namespace Repro.Sdk.Torch.Native;

/// <summary>
/// libtorch's global determinism switches, which TorchSharp 0.107 does not bind (its
/// <c>torch.use_deterministic_algorithms</c> is marked "not implemented" and <c>torch.backends.cudnn</c> only has
/// <c>allow_tf32</c>).
/// </summary>
/// <remarks>
/// <para>
/// libtorch_cpu exports <c>at::globalContext()</c> and the <c>at::Context</c> members below under their Itanium C++
/// names. A non-virtual member function is a plain function whose first argument is <c>this</c>, and a C++
/// <c>bool</c> is one byte, so each is reachable with an unmanaged function pointer: setters take
/// (context, byte[, byte]), getters take (context) and return a byte. The library is the copy TorchSharp already
/// loaded: opening it again by its file name returns the same handle.
/// </para>
/// <para>
/// Where a symbol is missing (Windows builds mangle names differently; a future libtorch may rename a member) the
/// first use fails with <see cref="PlatformNotSupportedException"/> naming the symbol; nothing is called blindly.
/// </para>
/// </remarks>
internal static unsafe class AtenContext
{
    private static readonly Lazy<Bindings> Bound = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>at::Context::deterministicAlgorithms()</c>: whether non-deterministic operations raise (or warn).</summary>
    public static bool DeterministicAlgorithms => Bound.Value.Get(Bound.Value.DeterministicAlgorithms);

    /// <summary><c>at::Context::deterministicAlgorithmsWarnOnly()</c>: whether they only warn.</summary>
    public static bool DeterministicAlgorithmsWarnOnly => Bound.Value.Get(Bound.Value.DeterministicAlgorithmsWarnOnly);

    /// <summary><c>at::Context::deterministicCuDNN()</c>, Python's <c>torch.backends.cudnn.deterministic</c>.</summary>
    public static bool DeterministicCuDnn
    {
        get => Bound.Value.Get(Bound.Value.DeterministicCuDnn);
        set => Bound.Value.Set(Bound.Value.SetDeterministicCuDnn, value);
    }

    /// <summary><c>at::Context::benchmarkCuDNN()</c>, Python's <c>torch.backends.cudnn.benchmark</c>.</summary>
    public static bool BenchmarkCuDnn
    {
        get => Bound.Value.Get(Bound.Value.BenchmarkCuDnn);
        set => Bound.Value.Set(Bound.Value.SetBenchmarkCuDnn, value);
    }

    /// <summary><c>at::Context::setDeterministicAlgorithms(bool, bool warn_only)</c>, Python's <c>torch.use_deterministic_algorithms</c>.</summary>
    public static void SetDeterministicAlgorithms(bool enabled, bool warnOnly)
    {
        var bindings = Bound.Value;
        ((delegate* unmanaged<nint, byte, byte, void>)bindings.SetDeterministicAlgorithms)(
            bindings.Context, enabled ? (byte)1 : (byte)0, warnOnly ? (byte)1 : (byte)0);
    }

    private static Bindings Bind()
    {
        // Loads libtorch through TorchSharp first, so the handle below is the copy TorchSharp uses.
        torch.InitializeDeviceType(DeviceType.CPU);

        var library = OperatingSystem.IsWindows() ? "torch_cpu.dll"
            : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib"
            : "libtorch_cpu.so";
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            throw new PlatformNotSupportedException(
                $"{library} is not loaded in this process; libtorch's determinism switches cannot be reached on {RuntimeInformation.RuntimeIdentifier}.");
        }

        nint Export(string symbol, string declaration) =>
            NativeLibrary.TryGetExport(handle, symbol, out var address)
                ? address
                : throw new PlatformNotSupportedException(
                    $"{library} does not export {symbol} ({declaration}); libtorch's determinism switches cannot be reached on {RuntimeInformation.RuntimeIdentifier}.");

        var globalContext = Export("_ZN2at13globalContextEv", "at::Context& at::globalContext()");
        return new Bindings
        {
            // A reference to a function-local static: the same object for the life of the process.
            Context = ((delegate* unmanaged<nint>)globalContext)(),
            SetDeterministicCuDnn = Export("_ZN2at7Context21setDeterministicCuDNNEb", "void at::Context::setDeterministicCuDNN(bool)"),
            DeterministicCuDnn = Export("_ZNK2at7Context18deterministicCuDNNEv", "bool at::Context::deterministicCuDNN() const"),
            SetBenchmarkCuDnn = Export("_ZN2at7Context17setBenchmarkCuDNNEb", "void at::Context::setBenchmarkCuDNN(bool)"),
            BenchmarkCuDnn = Export("_ZNK2at7Context14benchmarkCuDNNEv", "bool at::Context::benchmarkCuDNN() const"),
            SetDeterministicAlgorithms = Export("_ZN2at7Context26setDeterministicAlgorithmsEbb", "void at::Context::setDeterministicAlgorithms(bool, bool)"),
            DeterministicAlgorithms = Export("_ZNK2at7Context23deterministicAlgorithmsEv", "bool at::Context::deterministicAlgorithms() const"),
            DeterministicAlgorithmsWarnOnly = Export("_ZNK2at7Context31deterministicAlgorithmsWarnOnlyEv", "bool at::Context::deterministicAlgorithmsWarnOnly() const"),
        };
    }

    private sealed class Bindings
    {
        public required nint Context { get; init; }

        public required nint SetDeterministicCuDnn { get; init; }

        public required nint DeterministicCuDnn { get; init; }

        public required nint SetBenchmarkCuDnn { get; init; }

        public required nint BenchmarkCuDnn { get; init; }

        public required nint SetDeterministicAlgorithms { get; init; }

        public required nint DeterministicAlgorithms { get; init; }

        public required nint DeterministicAlgorithmsWarnOnly { get; init; }

        public bool Get(nint getter) => ((delegate* unmanaged<nint, byte>)getter)(Context) != 0;

        public void Set(nint setter, bool value) => ((delegate* unmanaged<nint, byte, void>)setter)(Context, value ? (byte)1 : (byte)0);
    }
}
