using System.Globalization;
using System.Numerics;
using System.Text;

namespace Repro.Core.Projects.Python;

/// <summary>
/// A value as Python holds it after <c>yaml.safe_load</c>: MLflow reads MLproject files that way and passes a default
/// to the command as <c>str(value)</c> (mlflow/projects/_project_spec.py, <c>EntryPoint._sanitize_param_dict</c>).
/// <see cref="Str"/> and <see cref="Repr"/> give exactly the text CPython's <c>str()</c> and <c>repr()</c> give.
/// </summary>
internal abstract record PythonValue
{
    /// <summary>Python's name of the type, for messages: <c>str</c>, <c>int</c>, <c>float</c>, <c>bool</c>, …</summary>
    public abstract string TypeName { get; }

    /// <summary>The text of <c>str(value)</c>.</summary>
    public abstract string Str();

    /// <summary>The text of <c>repr(value)</c>, which is what <c>str()</c> of a list or dict shows for its items.</summary>
    public virtual string Repr() => Str();

    /// <summary>
    /// What makes two mapping keys the same key in a Python dict: <c>1</c>, <c>01</c>, <c>1.0</c>, <c>true</c> and
    /// <c>yes</c> are one key there. Null for values a dict cannot hold as keys (lists, dicts).
    /// </summary>
    public abstract string? KeyIdentity { get; }
}

/// <summary>A Python <c>str</c>.</summary>
internal sealed record PythonString(string Value) : PythonValue
{
    public override string TypeName => "str";

    public override string? KeyIdentity => "str:" + Value;

    public override string Str() => Value;

    public override string Repr() => PythonRepr.Text(Value);
}

/// <summary>A Python <c>int</c>: arbitrary precision, so a 40-digit default renders exactly.</summary>
internal sealed record PythonInt(BigInteger Value) : PythonValue
{
    public override string TypeName => "int";

    public override string? KeyIdentity => "number:" + Str();

    public override string Str() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A Python <c>float</c>.</summary>
internal sealed record PythonFloat(double Value) : PythonValue
{
    private static long s_nanKeys;

    public override string TypeName => "float";

    // A float equal to an integer is the same dict key as that integer; every NaN is a key of its own.
    public override string? KeyIdentity => double.IsNaN(Value)
        ? "nan:" + Interlocked.Increment(ref s_nanKeys).ToString(CultureInfo.InvariantCulture)
        : double.IsFinite(Value) && Math.Floor(Value) == Value
            ? "number:" + new BigInteger(Value).ToString(CultureInfo.InvariantCulture)
            : "number:" + Str();

    public override string Str() => PythonFloatFormat.Repr(Value);
}

/// <summary>A Python <c>bool</c>: <c>True</c> or <c>False</c>, equal to 1 and 0 as dict keys.</summary>
internal sealed record PythonBool(bool Value) : PythonValue
{
    public override string TypeName => "bool";

    public override string? KeyIdentity => Value ? "number:1" : "number:0";

    public override string Str() => Value ? "True" : "False";
}

/// <summary>Python's <c>None</c>.</summary>
internal sealed record PythonNone : PythonValue
{
    public static PythonNone Instance { get; } = new();

    public override string TypeName => "NoneType";

    public override string? KeyIdentity => "None";

    public override string Str() => "None";
}

/// <summary>A <c>datetime.date</c>.</summary>
internal sealed record PythonDate(int Year, int Month, int Day) : PythonValue
{
    public override string TypeName => "datetime.date";

    public override string? KeyIdentity => "date:" + Str();

    public override string Str() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");

    public override string Repr() => string.Create(CultureInfo.InvariantCulture, $"datetime.date({Year}, {Month}, {Day})");
}

/// <summary>A <c>datetime.datetime</c>, naive or with a fixed UTC offset (the only kinds PyYAML builds).</summary>
internal sealed record PythonDateTime(int Year, int Month, int Day, int Hour, int Minute, int Second, int Microsecond, TimeSpan? Offset) : PythonValue
{
    public override string TypeName => "datetime.datetime";

    // Aware datetimes are equal when they name the same instant.
    public override string? KeyIdentity => Offset is { } offset
        ? "instant:" + new DateTimeOffset(Year, Month, Day, Hour, Minute, Second, offset).AddTicks(Microsecond * 10L).UtcTicks.ToString(CultureInfo.InvariantCulture)
        : "naive:" + Str();

    /// <summary><c>str(datetime)</c>: <c>isoformat(sep=' ')</c>, microseconds only when not zero.</summary>
    public override string Str()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2} {Hour:D2}:{Minute:D2}:{Second:D2}"));
        if (Microsecond != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $".{Microsecond:D6}");
        }

        if (Offset is { } offset)
        {
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            var size = offset.Duration();
            text.Append(CultureInfo.InvariantCulture, $"{sign}{size.Hours:D2}:{size.Minutes:D2}");
        }

        return text.ToString();
    }

    /// <summary><c>repr(datetime)</c>: trailing zero fields are left out, as CPython does.</summary>
    public override string Repr()
    {
        var fields = new List<int> { Year, Month, Day, Hour, Minute };
        if (Second != 0 || Microsecond != 0)
        {
            fields.Add(Second);
        }

        if (Microsecond != 0)
        {
            fields.Add(Microsecond);
        }

        var text = "datetime.datetime(" + string.Join(", ", fields.Select(field => field.ToString(CultureInfo.InvariantCulture)));
        if (Offset is { } offset)
        {
            text += ", tzinfo=" + TimezoneRepr(offset);
        }

        return text + ")";
    }

    // timezone(timedelta(0)) is the timezone.utc singleton; other offsets show their timedelta, normalised as
    // Python normalises it: whole days (possibly negative) and 0 <= seconds < 86400.
    private static string TimezoneRepr(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "datetime.timezone.utc";
        }

        var totalSeconds = (long)offset.TotalSeconds;
        var days = (long)Math.Floor(totalSeconds / 86400.0);
        var seconds = totalSeconds - (days * 86400);
        var parts = new List<string>();
        if (days != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"days={days}"));
        }

        if (seconds != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"seconds={seconds}"));
        }

        return $"datetime.timezone(datetime.timedelta({string.Join(", ", parts)}))";
    }
}

/// <summary>Python <c>bytes</c>, what <c>!!binary</c> gives.</summary>
internal sealed record PythonBytes(IReadOnlyList<byte> Value) : PythonValue
{
    public override string TypeName => "bytes";

    public override string? KeyIdentity => "bytes:" + Convert.ToHexString([.. Value]);

    public override string Str() => PythonRepr.Bytes(Value);
}

/// <summary>A Python <c>list</c> (or, for <c>!!omap</c> and <c>!!pairs</c>, a list of tuples).</summary>
internal sealed record PythonList(IReadOnlyList<PythonValue> Items) : PythonValue
{
    public override string TypeName => "list";

    public override string? KeyIdentity => null;

    public override string Str() => "[" + string.Join(", ", Items.Select(item => item.Repr())) + "]";
}

/// <summary>A Python <c>tuple</c>.</summary>
internal sealed record PythonTuple(IReadOnlyList<PythonValue> Items) : PythonValue
{
    public override string TypeName => "tuple";

    public override string? KeyIdentity => Items.All(item => item.KeyIdentity is not null)
        ? "tuple:(" + string.Join(",", Items.Select(item => item.KeyIdentity)) + ")"
        : null;

    public override string Str() => Items.Count == 1
        ? "(" + Items[0].Repr() + ",)"
        : "(" + string.Join(", ", Items.Select(item => item.Repr())) + ")";
}

/// <summary>A Python <c>dict</c>, in insertion order.</summary>
internal sealed record PythonDict(IReadOnlyList<KeyValuePair<PythonValue, PythonValue>> Entries) : PythonValue
{
    public override string TypeName => "dict";

    public override string? KeyIdentity => null;

    public override string Str() => "{" + string.Join(", ", Entries.Select(entry => entry.Key.Repr() + ": " + entry.Value.Repr())) + "}";
}
