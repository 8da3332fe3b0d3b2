package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Writes a protobuf message as JSON the way Triton's HTTP API shows model configs (protobuf's
 * printer with {@code always_print_primitive_fields}, then 64-bit integers as JSON numbers): proto
 * field names in declaration order, enums by name, fields without presence always printed, at
 * their defaults too ({@code "max_batch_size":0}, {@code "is_shape_tensor":false}, empty repeated
 * fields as {@code []} and maps as {@code {}}), while fields with presence (singular messages, oneof
 * members) only when set. 64-bit integers are JSON numbers, where proto3's canonical JSON would
 * quote them.
 */
final class ProtoJson {

  private ProtoJson() {}

  static byte[] toJson(Message message) {
    return JsonWriter.write(json -> write(message, json));
  }

  static void write(Message message, JsonGenerator json) throws IOException {
    json.writeStartObject();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (!field.isRepeated() && field.hasPresence() && !message.hasField(field)) {
        continue; // an unset message or oneof member: protobuf's printer leaves it out too
      }
      Object value = message.getField(field);
      json.writeFieldName(field.getName());
      if (field.isMapField()) {
        writeMap(field, (List<?>) value, json);
      } else if (field.isRepeated()) {
        json.writeStartArray();
        for (Object element : (List<?>) value) {
          writeValue(field, element, json);
        }
        json.writeEndArray();
      } else {
        writeValue(field, value, json);
      }
    }
    json.writeEndObject();
  }

  private static void writeMap(FieldDescriptor field, List<?> entries, JsonGenerator json) throws IOException {
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    json.writeStartObject();
    for (Object entry : entries) {
      Message pair = (Message) entry;
      json.writeFieldName(String.valueOf(pair.getField(keyField)));
      writeValue(valueField, pair.getField(valueField), json);
    }
    json.writeEndObject();
  }

  private static void writeValue(FieldDescriptor field, Object value, JsonGenerator json) throws IOException {
    switch (field.getJavaType()) {
      case INT -> {
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT32
            || field.getType() == FieldDescriptor.Type.FIXED32;
        json.writeNumber(unsigned ? Integer.toUnsignedLong((Integer) value) : (Integer) value);
      }
      case LONG -> {
        long number = (Long) value;
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT64
            || field.getType() == FieldDescriptor.Type.FIXED64;
        if (unsigned && number < 0) {
          json.writeNumber(Long.toUnsignedString(number));
        } else {
          json.writeNumber(number);
        }
      }
      case FLOAT -> json.writeNumber((Float) value);
      case DOUBLE -> json.writeNumber((Double) value);
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      case STRING -> json.writeString((String) value);
      case BYTE_STRING -> json.writeString(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> json.writeString(((EnumValueDescriptor) value).getName());
      case MESSAGE -> write((Message) value, json);
    }
  }
}
