package dev.keyhaven.kms.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.operation.Validator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The AWS JSON 1.1 body codec (reference §1.1): member names in UpperCamelCase (the operation
 * records' lowerCamel components map one-to-one), blobs as base64, timestamps as epoch seconds
 * (JSON numbers), absent members left out. Unknown members are ignored, as AWS does.
 *
 * <p>Reading is bounded before any work: nesting depth, number and string lengths are capped,
 * duplicate member names are rejected (an encryption context with a key twice is ambiguous), and no
 * type coercion happens ({@code "KeyId": 5} is a SerializationException, not "5"). The body must be
 * well-formed UTF-8 (RFC 8259 §8.1): overlong forms, encoded surrogates and stray bytes are
 * refused, where Jackson's byte parser alone would read {@code C0 AF} as {@code /}. A blob member
 * is a base64 string and nothing else (Jackson alone also reads {@code [104,105]}). A KeyId member
 * becomes a {@link KeyReference}, its text kept as sent.
 */
public final class JsonCodec {
  static final int MAX_NESTING_DEPTH = 32;
  static final int MAX_NUMBER_LENGTH = 32;

  /**
   * The longest member value: AWS's longest string member is PutKeyPolicy's Policy, at most 131072
   * characters in the API model (the policy quota itself, 32768 bytes, is the operation's check);
   * blobs are base64 of at most 8192 bytes.
   */
  static final int MAX_STRING_LENGTH = 131_072;

  /** The HTTP body cap (quarkus.http.limits.max-body-size), again for bodies from elsewhere. */
  static final long MAX_DOCUMENT_LENGTH = 1 << 20;

  private final ObjectMapper mapper;

  public JsonCodec() {
    JsonMapper.Builder builder =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(
                new SimpleModule()
                    .addSerializer(Instant.class, new EpochSecondsSerializer())
                    .addDeserializer(byte[].class, new Base64OnlyDeserializer())
                    .addDeserializer(KeyReference.class, new KeyReferenceDeserializer()));
    ObjectMapper built = builder.build();
    built
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build());
    built
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    built
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    // Timestamps (BigDecimal epoch seconds) are JSON numbers in AWS JSON 1.1, never strings.
    built
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    built
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    this.mapper = built;
  }

  /**
   * Reads a request body; an empty body reads as {@code {}}. Any defect, invalid UTF-8 included, is
   * a {@link com.fasterxml.jackson.core.JsonProcessingException}; a member value over {@value
   * #MAX_STRING_LENGTH} characters is a ValidationException {@link KmsException}.
   */
  public <T> T read(byte[] body, Class<T> type) throws IOException {
    CharBuffer text = body.length == 0 ? CharBuffer.wrap(new char[] {'{', '}'}) : strictUtf8(body);
    prescan(text);
    try (JsonParser parser =
        mapper.createParser(text.array(), text.arrayOffset() + text.position(), text.remaining())) {
      return mapper.readValue(parser, type);
    }
  }

  /**
   * One pass over the text (at most 1 MiB) before Jackson sees it: refuses more than {@value
   * #MAX_NUMBER_LENGTH} digits in a row outside strings — a number Jackson would refuse too, but
   * only after buffering it whole — and a member value longer than {@value #MAX_STRING_LENGTH}
   * characters, which no member allows, before Jackson makes it a String (docs/reliability.md,
   * scenario 6). A member name that long is left to Jackson's own limit.
   */
  private static void prescan(CharBuffer text) throws JsonParseException {
    // On the backing array, in tight loops: the hostile 1 MB value is sent a few times only, so
    // this runs mostly before the JIT has compiled it.
    char[] chars = text.array();
    int limit = text.arrayOffset() + text.limit();
    int run = 0;
    int nameStart = -1;
    int nameEnd = -1;
    for (int i = text.arrayOffset() + text.position(); i < limit; i++) {
      char c = chars[i];
      if (c == '"') {
        int start = i + 1;
        int length = 0;
        for (i = start; i < limit; i++, length++) {
          c = chars[i];
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            // an escape is one character: a backslash and one, or a backslash-u and four hex digits
            i += i + 1 < limit && chars[i + 1] == 'u' ? 5 : 1;
          }
        }
        if (i >= limit) {
          return; // never closed: Jackson refuses it
        }
        if (followedByColon(chars, i + 1, limit)) {
          nameStart = start;
          nameEnd = i;
        } else if (length > MAX_STRING_LENGTH) {
          throw tooLong(chars, nameStart, nameEnd, start, limit, length);
        }
        run = 0;
      } else if (c >= '0' && c <= '9') {
        if (++run > MAX_NUMBER_LENGTH) {
          throw new JsonParseException(null, "A number in the request body is too long.");
        }
      } else {
        run = 0;
      }
    }
  }

  private static boolean followedByColon(char[] chars, int from, int limit) {
    for (int i = from; i < limit; i++) {
      char c = chars[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c == ':';
      }
    }
    return false;
  }

  /**
   * The ValidationException the operation's own check would give, in its words, for the member
   * named last before the value (AWS prints it in lowerCamel), showing only the value's start.
   */
  private static KmsException tooLong(
      char[] chars, int nameStart, int nameEnd, int valueStart, int limit, int length) {
    String name = nameStart < 0 ? "request" : new String(chars, nameStart, nameEnd - nameStart);
    String member =
        name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    int shown = Math.min(Validator.MAX_SHOWN + 1, limit - valueStart);
    return Validator.overLength(
        member, new String(chars, valueStart, shown), length, MAX_STRING_LENGTH);
  }

  private static CharBuffer strictUtf8(byte[] body) throws JsonParseException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw new JsonParseException(null, "The request body is not well-formed UTF-8.");
    }
  }

  public byte[] write(Object value) throws IOException {
    return mapper.writeValueAsBytes(value);
  }

  /** A blob: a base64 JSON string only (no arrays of numbers, no coercion from other types). */
  private static final class Base64OnlyDeserializer extends JsonDeserializer<byte[]> {
    @Override
    public byte[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
      }
      return p.getBinaryValue(ctxt.getBase64Variant());
    }
  }

  /**
   * A KeyId member: a JSON string only, as for any string member, classified by {@link
   * KeyReference#of}, which never fails — text of no form is answered where AWS answers it, when
   * the operation resolves the key.
   */
  private static final class KeyReferenceDeserializer extends JsonDeserializer<KeyReference> {
    @Override
    public KeyReference deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (KeyReference) ctxt.handleUnexpectedToken(KeyReference.class, p);
      }
      return KeyReference.of(p.getText());
    }
  }

  /** Instants as epoch seconds with millisecond fraction, e.g. {@code 1700000000.123}. */
  private static final class EpochSecondsSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeNumber(
          BigDecimal.valueOf(value.toEpochMilli(), 3).stripTrailingZeros().toPlainString());
    }
  }
}
