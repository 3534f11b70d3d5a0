namespace Repro.Core.Tests.Projects.Conformance;

/// <summary>
/// One MLproject file, one run of one entry point, and what MLflow does with it: the command it renders (or the
/// failure), and the warnings repro gives where MLflow reads the file differently than it looks.
/// </summary>
/// <param name="Id">A short name, unique in the suite.</param>
/// <param name="Yaml">The MLproject file.</param>
/// <param name="EntryPoint">The entry point to run.</param>
/// <param name="Parameters">The <c>-P</c> tokens.</param>
/// <param name="Command">The rendered command, with <c>{dir}</c> for the project directory; null when it must fail.</param>
/// <param name="Error">A fragment of the error, when it must fail.</param>
/// <param name="ErrorAt">The error's <c>LINE:COL</c> in the MLproject file, when it is located.</param>
/// <param name="Warnings">For each warning expected, in order, fragments it holds, separated by <c>|</c>; the count must match too.</param>
public sealed record ConformanceCase(
    string Id,
    string Yaml,
    string EntryPoint,
    string[] Parameters,
    string? Command,
    string? Error = null,
    string? ErrorAt = null,
    string[]? Warnings = null);

/// <summary>The table: scalars, typos, duplicates, merge keys, paths and entry-point kinds.</summary>
internal static class ConformanceCases
{
    /// <summary>Every case by id.</summary>
    public static IReadOnlyDictionary<string, ConformanceCase> All { get; } = Build().ToDictionary(item => item.Id, StringComparer.Ordinal);

    private static IEnumerable<ConformanceCase> Build() =>
        Scalars().Concat(Typos()).Concat(Duplicates()).Concat(MergeKeys()).Concat(Paths()).Concat(EntryPointKinds()).Concat(Commands());

    private static string OneParameter(string declaration, string command = "echo {p}") => $"""
        entry_points:
          main:
            parameters:
              p: {declaration}
            command: "{command}"
        """;

    // The default as written -> str() of what PyYAML reads, which MLflow passes (shell-quoted) to the command.
    private static IEnumerable<ConformanceCase> Scalars()
    {
        (string Yaml, string Str, bool Warns)[] defaults =
        [
            (".0", "0.0", true), ("1.", "1.0", true), ("0.10", "0.1", true), ("0.000001", "1e-06", true), ("010", "8", true),
            ("1:30", "90", true), (".inf", "inf", true), ("-.Inf", "-inf", true), (".NaN", "nan", true), ("1.0", "1.0", false),
            ("1e5", "1e5", false), ("1.0e5", "1.0e5", false), ("1.0e+5", "100000.0", true), ("1.0e+16", "1e+16", true),
            ("1.0e+15", "1000000000000000.0", true), ("0.0001", "0.0001", false), ("0.00001", "1e-05", true), ("2.5E-7", "2.5e-07", true),
            ("2.5e-07", "2.5e-07", false), ("0x1F", "31", true), ("0b101", "5", true), ("-0b101", "-5", true), ("0o17", "0o17", false),
            ("1_000", "1000", true), ("1_000.5", "1000.5", true), ("12:30:45", "45045", true), ("1:30.5", "90.5", true), ("-1:30", "-90", true),
            ("1:60", "1:60", false), ("123456789012345678901234567890", "123456789012345678901234567890", false),
            ("0777777777777777777777777", "4722366482869645213695", true), ("true", "True", true), ("True", "True", false),
            ("yes", "True", true), ("No", "False", true), ("off", "False", true), ("ON", "True", true), ("y", "y", false), ("n", "n", false),
            ("None", "None", false), ("nUll", "nUll", false), ("'010'", "010", false), ("\"1:30\"", "1:30", false), ("'true'", "true", false),
            ("!!str 0.10", "0.10", false), ("!!float 1", "1.0", true), ("!!int '0x10'", "16", true), ("! 010", "8", true),
            ("2001-12-14", "2001-12-14", false), ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.100000-05:00", true),
            ("2001-12-14t21:59:43Z", "2001-12-14 21:59:43+00:00", true), ("2002-1-1", "2002-1-1", false), ("-0.0", "-0.0", false),
            ("+.5", "+.5", false), (".5", "0.5", true), ("1.5e+300", "1.5e+300", false), ("9999999999999998.0", "9999999999999998.0", false),
            ("0.30000000000000004", "0.30000000000000004", false), ("3.14159265358979323846", "3.141592653589793", true),
            ("'it''s'", "it's", false), ("\"tab\\there\"", "tab\there", false), ("|\n          two\n          lines", "two\nlines\n", false),
        ];
        var index = 0;
        foreach (var (yaml, str, warns) in defaults)
        {
            var display = str.Replace("'", "'\"'\"'", StringComparison.Ordinal);
            var quoted = str.Length > 0 && str.All(c => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c, StringComparison.Ordinal)) ? str : $"'{display}'";
            yield return new ConformanceCase(
                $"scalar-{index++:D2} {yaml.Split('\n')[0]}",
                yaml.Contains('\n', StringComparison.Ordinal)
                    ? $"entry_points:\n  main:\n    parameters:\n      p:\n        default: {yaml}\n    command: \"echo {{p}}\"\n"
                    : OneParameter($"{{default: {yaml}}}"),
                "main",
                [],
                "echo " + quoted,
                Warnings: warns ? ["is read by MLflow's YAML reader as the"] : []);
        }

        yield return new("scalar-list", OneParameter("{default: [1, 'a', true, null]}"), "main", [], "echo '[1, '\"'\"'a'\"'\"', True, None]'", Warnings: ["is a list; it is passed as Python prints it"]);
        yield return new("scalar-dict", OneParameter("{default: {a: 1.50, b: [x]}}"), "main", [], "echo '{'\"'\"'a'\"'\"': 1.5, '\"'\"'b'\"'\"': ['\"'\"'x'\"'\"']}'", Warnings: ["is a dict"]);
        yield return new("scalar-int-None", OneParameter("{type: int, default: None}"), "main", [], "echo None", Warnings: ["(int), 'None', is not an integer; it is passed unchanged"]);
        yield return new("scalar-float-text", OneParameter("{type: float, default: fast}"), "main", [], "echo fast", Warnings: ["is not a number"]);
        yield return new("scalar-int-overridden", OneParameter("{type: int, default: None}"), "main", ["p=3"], "echo 3");
        yield return new("scalar-int-user-checked", OneParameter("{type: int, default: 1}"), "main", ["p=x"], null, "parameter 'p' (int) must be an integer; got 'x'");
        yield return new("scalar-float-user-checked", OneParameter("{type: float, default: 1.5}"), "main", ["p=1,5"], null, "parameter 'p' (float) must be a number");
        yield return new("scalar-null-required", OneParameter("{default: ~}"), "main", [], null, "needs a value for parameter 'p'");
        yield return new("scalar-empty-required", OneParameter("{default: }"), "main", [], null, "needs a value for parameter 'p'");
        yield return new("scalar-date-failure", OneParameter("{default: 2002-13-01}"), "main", [], null, "month must be in 1..12", "4:20", ["MLflow's YAML reader (PyYAML) fails on this value"]);
        yield return new("scalar-hex-failure", OneParameter("{default: 0x_}"), "main", [], null, "is not an integer in base 16", "4:20", ["fails on this value"]);
        yield return new("scalar-unknown-tag", OneParameter("{default: !foo x}"), "main", [], null, "no constructor for the tag '!foo'", "4:20", ["fails on this value"]);
        yield return new("scalar-set", OneParameter("{default: !!set {a, b}}"), "main", [], null, "!!set default cannot be rendered", "4:20");
        yield return new("scalar-bool-user", OneParameter("{default: true}"), "main", ["p=true"], "echo true");
        yield return new("scalar-int-4301-digits", OneParameter("{default: 1" + new string('0', 4300) + "}"), "main", [], null, "has more than 4300 digits", "4:20", ["fails on this value"]);
        yield return new("scalar-int-4300-digits", OneParameter("{default: 1" + new string('0', 4299) + "}"), "main", [], "echo 1" + new string('0', 4299));
    }

    // Keys MLflow never reads: a warning each, with a did-you-mean where one is close, and MLflow's reading kept.
    private static IEnumerable<ConformanceCase> Typos()
    {
        yield return new("typo-type-str", OneParameter("{type str, default: x}"), "main", [], "echo x", Warnings: ["unknown key 'type str'|did you mean 'type: str' (the colon is missing)?"]);
        yield return new("typo-type-colon", OneParameter("{type:int, default: 10}"), "main", [], "echo 10", Warnings: ["did you mean 'type: int' (YAML needs a space after the colon)?"]);
        yield return new("typo-default-colon", OneParameter("{type: int, default:10}"), "main", [], null, "needs a value for parameter 'p'");
        yield return new("typo-default-colon-given", OneParameter("{type: int, default:10}"), "main", ["p=4"], "echo 4", Warnings: ["unknown key 'default:10'|so the parameter has no default|did you mean 'default: 10'"]);
        yield return new("typo-default-equals", OneParameter("{type: string, default=\"x\"}"), "main", ["p=y"], "echo y", Warnings: ["did you mean 'default: \"x\"' (YAML separates a key from its value with ': ', not '=')?"]);
        yield return new("typo-defualt", OneParameter("{defualt: 1}"), "main", ["p=2"], "echo 2", Warnings: ["unknown key 'defualt'|did you mean 'default'?"]);
        yield return new("typo-Default", OneParameter("{Default: 1}"), "main", ["p=2"], "echo 2", Warnings: ["did you mean 'default'?"]);
        yield return new("typo-typ", OneParameter("{typ: int, default: 1}"), "main", [], "echo 1", Warnings: ["unknown key 'typ'|did you mean 'type'?"]);
        yield return new("typo-description-ok", "entry_points:\n  main:\n    description: Trains.\n    parameters:\n      p:\n        type: float\n        default: 0.5\n        description: The rate.\n    command: \"echo {p}\"\n", "main", [], "echo 0.5");
        yield return new("typo-descripton", OneParameter("{default: 1, descripton: x}"), "main", [], "echo 1", Warnings: ["did you mean 'description'?"]);
        yield return new("typo-comand", "entry_points:\n  main:\n    comand: echo hi\n", "main", [], null, "has no command (line 3 has 'comand': did you mean 'command'?)", "2:3");
        yield return new("typo-paramters", "entry_points:\n  main:\n    paramters:\n      p: {default: 1}\n    command: echo hi\n", "main", [], "echo hi", Warnings: ["unknown key 'paramters' in entry point 'main'|did you mean 'parameters'?"]);
        yield return new("typo-entry_point", "entry_point:\n  main:\n    command: x\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["unknown key 'entry_point' at the top level|did you mean 'entry_points'?"]);
        yield return new("typo-nmae", "nmae: x\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["did you mean 'name'?"]);
        yield return new("typo-type-str-word", OneParameter("{type: str, default: x}"), "main", [], "echo x", Warnings: ["unknown type 'str'|did you mean 'string'?"]);
        yield return new("typo-type-integer", OneParameter("{type: integer, default: 3}"), "main", [], "echo 3", Warnings: ["unknown type 'integer'|did you mean 'int'?"]);
        yield return new("typo-type-Path", OneParameter("{type: Path, default: no/such/file}"), "main", [], "echo no/such/file", Warnings: ["unknown type 'Path'; its value is passed as a string without path handling|did you mean 'path'?"]);
        yield return new("typo-type-double", OneParameter("{type: double, default: 1.5}"), "main", [], "echo 1.5", Warnings: ["did you mean 'float'?"]);
        yield return new("typo-type-bool", OneParameter("{type: bool, default: x}"), "main", [], "echo x", Warnings: ["unknown type 'bool'"]);
        yield return new("typo-short-form-str", "entry_points:\n  main:\n    parameters:\n      p: str\n    command: \"echo {p}\"\n", "main", ["p=a"], "echo a", Warnings: ["did you mean 'string'?"]);
        yield return new("typo-type-null", OneParameter("{type: ~, default: 2}"), "main", [], "echo 2");
        yield return new("typo-type-number", OneParameter("{type: 5, default: 2}"), "main", [], "echo 2", Warnings: ["the type of parameter 'p' of entry point 'main' is read by MLflow's YAML reader as the int 5"]);
        yield return new("typo-docker-key", "docker_env:\n  image: img\n  imgae: x\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["unknown key 'imgae' in docker_env|did you mean 'image'?"]);
        yield return new("typo-param-scalar-int", "entry_points:\n  main:\n    parameters:\n      p: 5\n    command: echo hi\n", "main", [], null, "is read by MLflow's YAML reader as the int 5, on which MLflow fails", "4:10");
        yield return new("typo-param-null", "entry_points:\n  main:\n    parameters:\n      p:\n    command: echo hi\n", "main", [], null, "must be a type word", "4:9");
        yield return new("typo-parameters-null", "entry_points:\n  main:\n    parameters:\n    command: echo hi\n", "main", [], "echo hi", Warnings: ["the parameters of entry point 'main' are empty, on which MLflow fails"]);
        yield return new("typo-entry-points-null", "name: x\nentry_points:\n", "run.py", [], null, "is not declared", null, ["entry_points is empty, on which MLflow fails"]);
        yield return new("typo-on-key", "entry_points:\n  main:\n    parameters:\n      on: {default: 1}\n    command: \"echo {on}\"\n", "main", [], "echo 1", Warnings: ["reads the name of parameter 'on' of entry point 'main' as the bool True"]);
    }

    // PyYAML keeps the last of repeated keys, in the place of the first; repro warns and does the same.
    private static IEnumerable<ConformanceCase> Duplicates()
    {
        yield return new("dup-command", "entry_points:\n  main:\n    command: echo first\n    command: echo last\n", "main", [], "echo last", Warnings: ["4:5: warning: duplicate key 'command' (first at line 3, column 5); the last one is used"]);
        yield return new("dup-default", OneParameter("{default: 1, default: 2}"), "main", [], "echo 2", Warnings: ["duplicate key 'default'"]);
        yield return new("dup-type", OneParameter("{type: path, type: string, default: nowhere}"), "main", [], "echo nowhere", Warnings: ["duplicate key 'type'"]);
        yield return new("dup-parameter", "entry_points:\n  main:\n    parameters:\n      p: {default: 1}\n      q: {default: 2}\n      p: {default: 3}\n    command: \"echo {p} {q}\"\n", "main", [], "echo 3 2", Warnings: ["duplicate key 'p' (first at line 4, column 7)"]);
        yield return new("dup-entry-point", "entry_points:\n  main:\n    command: echo a\n  main:\n    command: echo b\n", "main", [], "echo b", Warnings: ["duplicate key 'main'"]);
        yield return new("dup-parameters-block", "entry_points:\n  main:\n    parameters:\n      a: {default: 1}\n    parameters:\n      b: {default: 2}\n    command: \"echo {b}\"\n", "main", [], "echo 2", Warnings: ["duplicate key 'parameters'"]);
        yield return new("dup-parameters-block-lost", "entry_points:\n  main:\n    parameters:\n      a: {default: 1}\n    parameters:\n      b: {default: 2}\n    command: \"echo {a}\"\n", "main", [], null, "uses {a}, which names no declared parameter", "7:14");
        yield return new("dup-top-level-name", "name: a\nname: b\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["2:1: warning: duplicate key 'name'"]);
        yield return new("dup-entry-points", "entry_points:\n  main:\n    command: echo a\nentry_points:\n  other:\n    command: echo b\n", "main", [], null, "entry point 'main' is not declared", null, ["duplicate key 'entry_points'"]);
        yield return new("dup-yes-true", "entry_points:\n  main:\n    parameters:\n      p: {default: {yes: a, true: b}}\n    command: \"echo {p}\"\n", "main", [], "echo '{True: '\"'\"'b'\"'\"'}'", Warnings: ["duplicate key 'true'", "is a dict"]);
        yield return new("dup-int-float", OneParameter("{default: {1: a, 1.0: b}}"), "main", [], "echo '{1: '\"'\"'b'\"'\"'}'", Warnings: ["duplicate key '1.0'", "is a dict"]);
        yield return new("dup-octal", OneParameter("{default: {8: a, 010: b}}"), "main", [], "echo '{8: '\"'\"'b'\"'\"'}'", Warnings: ["duplicate key '010'", "is a dict"]);
        yield return new("dup-quoted-differs", OneParameter("{default: {'1': a, 1: b}}"), "main", [], "echo '{'\"'\"'1'\"'\"': '\"'\"'a'\"'\"', 1: '\"'\"'b'\"'\"'}'", Warnings: ["is a dict"]);
        yield return new("dup-other-entry-point", "entry_points:\n  main:\n    command: echo ok\n  other:\n    command: a\n    command: b\n", "main", [], "echo ok");
        yield return new("dup-in-env", "entry_points:\n  main:\n    command: echo ok\n    env:\n      A: 1\n      A: 2\n", "main", [], "echo ok", Warnings: ["duplicate key 'A'"]);
        yield return new("dup-in-docker", "docker_env:\n  image: a\n  image: b\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["duplicate key 'image'"]);
        yield return new("dup-three", "entry_points:\n  main:\n    command: echo 1\n    command: echo 2\n    command: echo 3\n", "main", [], "echo 3", Warnings: ["4:5", "5:5"]);
        yield return new("dup-flow", OneParameter("{default: 1, type: int, default: 2}"), "main", [], "echo 2", Warnings: ["duplicate key 'default'"]);
        yield return new("dup-extension-seed", "seed: 1\nseed: 2\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["duplicate key 'seed'"]);
        yield return new("dup-null-keys", OneParameter("{default: {~: a, null: b}}"), "main", [], "echo '{None: '\"'\"'b'\"'\"'}'", Warnings: ["duplicate key 'null'", "is a dict"]);
    }

    // YAML merge keys, as PyYAML applies them: own keys win, then the first listed mapping.
    private static IEnumerable<ConformanceCase> MergeKeys()
    {
        const string Base = "base: &base\n  command: \"echo {p}\"\n  parameters:\n    p: {default: base}\n";
        yield return new("merge-entry-point", Base + "entry_points:\n  main:\n    <<: *base\n", "main", [], "echo base", Warnings: ["unknown key 'base' at the top level"]);
        yield return new("merge-override-command", Base + "entry_points:\n  main:\n    <<: *base\n    command: \"echo own {p}\"\n", "main", [], "echo own base", Warnings: ["unknown key 'base'"]);
        yield return new("merge-override-parameters", Base + "entry_points:\n  main:\n    <<: *base\n    parameters:\n      p: {default: own}\n", "main", [], "echo own", Warnings: ["unknown key 'base'"]);
        yield return new("merge-parameter", "x-defaults: &defaults {type: float, default: 0.5}\nentry_points:\n  main:\n    parameters:\n      p:\n        <<: *defaults\n    command: \"echo {p}\"\n", "main", [], "echo 0.5", Warnings: ["unknown key 'x-defaults'"]);
        yield return new("merge-parameter-override", "x-defaults: &defaults {type: float, default: 0.5}\nentry_points:\n  main:\n    parameters:\n      p: {<<: *defaults, default: 0.25}\n    command: \"echo {p}\"\n", "main", [], "echo 0.25", Warnings: ["unknown key 'x-defaults'"]);
        yield return new("merge-list-first-wins", "a: &a {default: first}\nb: &b {default: second, type: string}\nentry_points:\n  main:\n    parameters:\n      p: {<<: [*a, *b]}\n    command: \"echo {p}\"\n", "main", [], "echo first", Warnings: ["unknown key 'a'", "unknown key 'b'"]);
        yield return new("merge-parameters-map", "common: &common\n  alpha: {default: 1}\n  beta: {default: 2}\nentry_points:\n  main:\n    parameters:\n      <<: *common\n      gamma: {default: 3}\n    command: \"echo {alpha} {beta} {gamma}\"\n", "main", [], "echo 1 2 3", Warnings: ["unknown key 'common'"]);
        yield return new("merge-parameters-override-one", "common: &common\n  alpha: {default: 1}\n  beta: {default: 2}\nentry_points:\n  main:\n    parameters:\n      <<: *common\n      alpha: {default: 9}\n    command: \"echo {alpha} {beta}\"\n", "main", [], "echo 9 2", Warnings: ["unknown key 'common'"]);
        yield return new("merge-env-anchor", "entry_points:\n  main:\n    command: echo ok\n    env: &env {A: 1}\n  other:\n    command: echo other\n    env:\n      <<: *env\n      B: 2\n", "other", [], "echo other");
        yield return new("merge-not-mapping", "entry_points:\n  main:\n    <<: 5\n    command: echo ok\n", "main", [], null, "a merge key (<<) takes a mapping or a list of mappings, not a single value", "3:9");
        yield return new("merge-list-of-scalars", "entry_points:\n  main:\n    <<: [a, b]\n    command: echo ok\n", "main", [], null, "a merge key (<<) takes mappings, and this list holds a single value", "3:10");
        yield return new("merge-quoted-key-is-text", "entry_points:\n  main:\n    '<<': {command: echo no}\n    command: echo yes\n", "main", [], "echo yes", Warnings: ["unknown key '<<' in entry point 'main'"]);
        yield return new("merge-tagged", "base: &b {command: echo tagged}\nentry_points:\n  main:\n    !!merge <<: *b\n", "main", [], "echo tagged", Warnings: ["unknown key 'base'"]);
        yield return new("merge-unknown-key-located-in-base", "base: &b\n  command: echo hi\n  comand: x\nentry_points:\n  main:\n    <<: *b\n", "main", [], "echo hi", Warnings: ["unknown key 'base'", "3:3: warning: unknown key 'comand' in entry point 'main'"]);
        yield return new("merge-value-plain-fails", OneParameter("{default: <<}"), "main", [], null, "no constructor for the tag '!!merge'", "4:20", ["fails on this value"]);
        yield return new("merge-nested", "a: &a {default: deep}\nb: &b {<<: *a, type: string}\nentry_points:\n  main:\n    parameters:\n      p: {<<: *b}\n    command: \"echo {p}\"\n", "main", [], "echo deep", Warnings: ["unknown key 'a'", "unknown key 'b'"]);
        yield return new("merge-dup-with-merge-no-warning", "a: &a {default: 1}\nentry_points:\n  main:\n    parameters:\n      p: {<<: *a, default: 2}\n    command: \"echo {p}\"\n", "main", [], "echo 2", Warnings: ["unknown key 'a'"]);
        yield return new("merge-two-merge-keys", "a: &a {default: 1}\nb: &b {default: 2}\nentry_points:\n  main:\n    parameters:\n      p:\n        <<: *a\n        <<: *b\n    command: \"echo {p}\"\n", "main", [], "echo 2", Warnings: ["unknown key 'a'", "unknown key 'b'"]);
        yield return new("merge-into-default-dict", "a: &a {x: 1}\nentry_points:\n  main:\n    parameters:\n      p: {default: {<<: *a, y: 2}}\n    command: \"echo {p}\"\n", "main", [], "echo '{'\"'\"'x'\"'\"': 1, '\"'\"'y'\"'\"': 2}'", Warnings: ["unknown key 'a'", "is a dict"]);
        yield return new("merge-alias-whole-entry", "entry_points:\n  main: &m\n    command: echo same\n  copy: *m\n", "copy", [], "echo same");
    }

    // Path parameters: percent-decoded, file: accepted, made absolute and normalised (relative to the project).
    private static IEnumerable<ConformanceCase> Paths()
    {
        const string Declared = "entry_points:\n  main:\n    parameters:\n      data: path\n    command: \"run {data}\"\n";
        (string Given, string Expected)[] accepted =
        [
            ("data/train.csv", "run {dir}/data/train.csv"), ("data/", "run {dir}/data"), ("data", "run {dir}/data"), ("./data/./train.csv", "run {dir}/data/train.csv"),
            ("data/../data/train.csv", "run {dir}/data/train.csv"), ("data//train.csv", "run {dir}/data/train.csv"), ("my%20data.csv", "run '{dir}/my data.csv'"),
            ("my data.csv", "run '{dir}/my data.csv'"), ("file:data/train.csv", "run {dir}/data/train.csv"), ("file:my%20data.csv", "run '{dir}/my data.csv'"),
            ("file://{dir}/data/train.csv", "run {dir}/data/train.csv"), ("file://localhost{dir}/data/", "run {dir}/data"), ("{dir}/data/train.csv", "run {dir}/data/train.csv"),
            ("{dir}/data/../data/", "run {dir}/data"), ("file:{dir}/data/train.csv#part", "run {dir}/data/train.csv"), ("file:{dir}/data/train.csv?x=1", "run {dir}/data/train.csv"),
            ("caf%C3%A9.txt", "run '{dir}/café.txt'"), ("café.txt", "run '{dir}/café.txt'"), (".", "run {dir}"), ("data/%2E%2E/data", "run {dir}/data"),
        ];
        var index = 0;
        foreach (var (given, expected) in accepted)
        {
            yield return new($"path-{index++:D2} {given}", Declared, "main", [$"data={given}"], expected);
        }

        yield return new("path-missing", Declared, "main", ["data=missing.csv"], null, "parameter 'data' (path) does not exist (looked for {dir}/missing.csv)");
        yield return new("path-s3", Declared, "main", ["data=s3://bucket/x"], null, "must be a local path or a file: URI (repro does not download remote data; MLflow would)");
        yield return new("path-file-host", Declared, "main", ["data=file://server/x"], null, "must be a local path or a file: URI");
        yield return new("path-empty", Declared, "main", ["data="], null, "parameter 'data' (path) does not exist");
        yield return new("path-default", "entry_points:\n  main:\n    parameters:\n      data: {type: path, default: data/}\n    command: \"run {data}\"\n", "main", [], "run {dir}/data");
        yield return new("path-default-missing", "entry_points:\n  main:\n    parameters:\n      data: {type: path, default: gone.csv}\n    command: \"run {data}\"\n", "main", [], null, "does not exist", "4:35");
        yield return new("path-default-int", "entry_points:\n  main:\n    parameters:\n      data: {type: path, default: 5}\n    command: \"run {data}\"\n", "main", [], null, "the default of parameter 'data' (path) is read by MLflow's YAML reader as the int 5", "4:35");
        yield return new("path-percent-literal", Declared, "main", ["data=100%25.txt"], "run {dir}/100%.txt");
        yield return new("uri-ok", "entry_points:\n  main:\n    parameters:\n      u: uri\n    command: \"run {u}\"\n", "main", ["u=s3://b/k"], "run s3://b/k");
        yield return new("uri-no-scheme", "entry_points:\n  main:\n    parameters:\n      u: uri\n    command: \"run {u}\"\n", "main", ["u=data/x"], null, "must be a URI with a scheme");
        yield return new("uri-default-int", "entry_points:\n  main:\n    parameters:\n      u: {type: uri, default: 1}\n    command: \"run {u}\"\n", "main", [], null, "(uri) is read by MLflow's YAML reader as the int 1", "4:31");
        yield return new("uri-leading-space", "entry_points:\n  main:\n    parameters:\n      u: uri\n    command: \"run {u}\"\n", "main", ["u= s3://b/k"], "run ' s3://b/k'");
    }

    // Declared entry points and scripts run by their extension, as Project.get_entry_point does.
    private static IEnumerable<ConformanceCase> EntryPointKinds()
    {
        const string Project = "entry_points:\n  main:\n    command: echo main\n";
        yield return new("kind-declared", Project, "main", [], "echo main");
        yield return new("kind-declared-extra", Project, "main", ["a=1"], "echo main --a 1");
        yield return new("kind-python", Project, "train.py", ["alpha=0.5"], "python train.py --alpha 0.5");
        yield return new("kind-python-subdir", Project, "src/run.py", [], "python src/run.py");
        yield return new("kind-shell", Project, "run.sh", [], "bash run.sh");
        yield return new("kind-r", Project, "analysis.R", ["n=3"], "Rscript -e \"mlflow::mlflow_source('analysis.R')\" --args --n 3");
        yield return new("kind-r-space", Project, "my analysis.R", [], "Rscript -e \"mlflow::mlflow_source(''my analysis.R'')\" --args");
        yield return new("kind-lower-r", Project, "analysis.r", [], null, "is not a .py, .sh or .R file");
        yield return new("kind-upper-py", Project, "TRAIN.PY", [], null, "is not a .py, .sh or .R file");
        yield return new("kind-dot-py", Project, ".py", [], null, "is not a .py, .sh or .R file");
        yield return new("kind-missing-script", Project, "missing.py", [], null, "is not a file in the project");
        yield return new("kind-outside", Project, "../outside.py", [], null, "is not a file in the project");
        yield return new("kind-txt", Project, "notes.txt", [], null, "(declared: main) and is not a .py, .sh or .R file");
        yield return new("kind-declared-wins-over-script", "entry_points:\n  train.py:\n    command: echo declared\n", "train.py", [], "echo declared");
        yield return new("kind-broken-other-runs", "entry_points:\n  main:\n    command: echo ok\n  bad:\n    command: [a]\n", "main", [], "echo ok");
        yield return new("kind-broken-self-fails", "entry_points:\n  main:\n    command: echo ok\n  bad:\n    command: [a]\n", "bad", [], null, "the command of entry point 'bad' must be a single value", "5:14");
        yield return new("kind-broken-script-name", "entry_points:\n  train.py: 5\n", "train.py", [], null, "entry point 'train.py' must be a mapping", "2:13");
        yield return new("kind-scalar-entry", "entry_points:\n  main: echo hi\n", "main", [], null, "entry point 'main' must be a mapping", "2:9");
        yield return new("kind-no-entry-points", "name: scripts\n", "train.py", [], "python train.py");
        yield return new("kind-int-name", "entry_points:\n  1:\n    command: echo one\n", "1", [], "echo one", Warnings: ["reads the name of entry point '1' as the int 1, not as text, so mlflow run -e 1 cannot select it"]);
        yield return new("kind-extra-key-quoted", Project, "main", ["a b=1"], "echo main --'a b' 1");
        yield return new("kind-extra-value-quoted", Project, "main", ["a=x; rm -rf /"], "echo main --a 'x; rm -rf /'");
        yield return new("kind-extras-in-order", Project, "main", ["z=1", "a=2"], "echo main --z 1 --a 2");
        yield return new("kind-docker-needs-image", "docker_env: {volumes: [a]}\nentry_points:\n  main:\n    command: x\n", "main", [], null, "docker_env needs an image");
        yield return new("kind-docker-volumes-strings", "docker_env: {image: i, volumes: [1]}\nentry_points:\n  main:\n    command: x\n", "main", [], null, "docker_env volumes must be a list of strings");
        yield return new("kind-empty-python-env", "python_env:\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["python_env is empty; ignored, as MLflow ignores it"]);
        yield return new("kind-databricks", "databricks_spark_job: {python_file: x.py}\nentry_points:\n  main:\n    command: echo ok\n", "main", [], "echo ok", Warnings: ["databricks_spark_job is for MLflow's Databricks backend"]);
    }

    // Command templates as Python's str.format reads them.
    private static IEnumerable<ConformanceCase> Commands()
    {
        yield return new("cmd-braces", OneParameter("{default: 1}", "python -c 'print({{1: {p}}})'"), "main", [], "python -c 'print({1: 1})'");
        yield return new("cmd-conversion", OneParameter("{default: 1}", "echo {p!r}"), "main", [], null, "applies the conversion '!r' to parameter 'p'", "5:14");
        yield return new("cmd-format-spec", OneParameter("{default: 1}", "echo {p:>10}"), "main", [], null, "applies the format spec '>10' to parameter 'p'", "5:14");
        yield return new("cmd-nested-spec", OneParameter("{default: 1}", "echo {p:{p}}"), "main", [], null, "applies the format spec '{p}'", "5:14");
        yield return new("cmd-attribute", OneParameter("{default: 1}", "echo {p.real}"), "main", [], null, "applies the attribute access '.real'", "5:14");
        yield return new("cmd-index", OneParameter("{default: 1}", "echo {p[0]}"), "main", [], null, "applies the index '[0]'", "5:14");
        yield return new("cmd-positional", OneParameter("{default: 1}", "echo {0}"), "main", [], null, "uses {0}, which names no declared parameter", "5:14");
        yield return new("cmd-auto-positional-spec", OneParameter("{default: 1}", "echo {:>3}"), "main", [], null, "a positional placeholder", "5:14");
        yield return new("cmd-unknown", OneParameter("{default: 1}", "echo {q}"), "main", ["q=2"], null, "uses {q}, which names no declared parameter of entry point 'main' (declared: p)", "5:14");
        yield return new("cmd-unclosed", OneParameter("{default: 1}", "echo {p"), "main", [], null, "not closed", "5:14");
        yield return new("cmd-single-close", OneParameter("{default: 1}", "echo }"), "main", [], null, "single '}'", "5:14");
        yield return new("cmd-int-command", "entry_points:\n  main:\n    command: 5\n", "main", [], null, "is read by MLflow's YAML reader as the int 5", "3:14");
        yield return new("cmd-missing", "entry_points:\n  main:\n    parameters: {}\n", "main", [], null, "has no command", "2:3");
        yield return new("cmd-block", "entry_points:\n  main:\n    command: |\n      echo a &&\n      echo b\n", "main", [], "echo a &&\necho b\n");
        yield return new("cmd-folded", "entry_points:\n  main:\n    command: >\n      python train.py\n      --alpha 1\n", "main", [], "python train.py --alpha 1\n");
    }
}
