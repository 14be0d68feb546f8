using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DciManager.Simulator;

/// <summary>An API refusal; becomes {"error":{"code","msg","value"}}.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int status, int code, string message, string? field = null) : base(message)
    {
        Status = status; Code = code; Field = field;
    }
    public int Status { get; }
    public int Code { get; }
    public string? Field { get; }

    public static ApiException BadRequest(string field, string msg) => new(400, Inferred.CodeValidation, msg, field);
    public static ApiException Unauthorized(string msg = "Unauthorized: invalid or expired token") => new(401, Inferred.CodeUnauthorized, msg);
    public static ApiException Forbidden(string msg = "Access denied: administrator permissions required") => new(403, Inferred.CodeForbidden, msg);
    public static ApiException NotFound(string msg, string? field = null) => new(404, Inferred.CodeNotFound, msg, field);
    public static ApiException Conflict(string msg, string? field = null) => new(409, Inferred.CodeConflict, msg, field);
    public static ApiException MethodNotAllowed(string method) => new(405, Inferred.CodeMethodNotAllowed, $"Method {method} is not allowed");
}

internal static class Json
{
    public static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Writer(IBufferWriter<byte> buffer) => new(buffer, WriterOptions);

    public static ArrayBufferWriter<byte> Error(int code, string msg, string? field)
    {
        var buf = new ArrayBufferWriter<byte>(128);
        using (var w = Writer(buf))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("msg", msg);
            if (field is null) w.WriteNull("value");
            else { w.WriteStartObject("value"); w.WriteString("field", field); w.WriteEndObject(); }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buf;
    }

    public static ArrayBufferWriter<byte> Build(Action<Utf8JsonWriter> write, int capacity = 256)
    {
        var buf = new ArrayBufferWriter<byte>(capacity);
        using (var w = Writer(buf)) write(w);
        return buf;
    }
}
