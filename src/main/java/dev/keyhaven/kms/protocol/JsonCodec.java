package dev.keyhaven.kms.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The AWS JSON 1.1 body codec (reference §1.1): member names in UpperCamelCase (the operation
 * records' lowerCamel components map one-to-one), blobs as base64, timestamps as epoch seconds
 * (JSON numbers), absent members left out. Unknown members are ignored, as AWS does.
 *
 * <p>Reading is bounded before any work: nesting depth, number and string lengths are capped,
 * duplicate member names are rejected (an encryption context with a key twice is ambiguous), and
 * no type coercion happens ({@code "KeyId": 5} is a SerializationException, not "5").
 */
public final class JsonCodec {
  static final int MAX_NESTING_DEPTH = 32;
  static final int MAX_NUMBER_LENGTH = 32;
  static final int MAX_STRING_LENGTH = 1 << 20;

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
            .addModule(new SimpleModule().addSerializer(Instant.class, new EpochSecondsSerializer()));
    ObjectMapper built = builder.build();
    built
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
    built.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    built.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    built.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    this.mapper = built;
  }

  /** Reads a request body; an empty body reads as {@code {}}. */
  public <T> T read(byte[] body, Class<T> type) throws IOException {
    if (body.length == 0) {
      body = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    try (JsonParser parser = mapper.createParser(body)) {
      return mapper.readValue(parser, type);
    }
  }

  public byte[] write(Object value) throws IOException {
    return mapper.writeValueAsBytes(value);
  }

  /** Instants as epoch seconds with millisecond fraction, e.g. {@code 1700000000.123}. */
  private static final class EpochSecondsSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3).stripTrailingZeros().toPlainString());
    }
  }
}
