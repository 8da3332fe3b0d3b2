package dev.yardmaster.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The comparison as JSON (snake_case fields, NaN as the string "NaN"), byte-stable per seed. */
public final class JsonReport {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(Comparison comparison) {
    try {
      return MAPPER.writeValueAsString(comparison) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("comparison: not serializable (" + e.getMessage() + ")", e);
    }
  }
}
