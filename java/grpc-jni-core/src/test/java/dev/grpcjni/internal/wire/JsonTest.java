// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service-config JSON reader and writer: values, escapes, errors with offsets, round trips. */
class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    Object v =
        Json.parse(
            " {\"a\": [1, -2.5, 3e2, 0], \"b\": {\"c\": \"x\\\"y\\\\z\\n\\u00e9\\/\"},"
                + " \"t\": true, \"f\": false, \"n\": null, \"e\": [], \"o\": {}} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", List.of(1.0, -2.5, 300.0, 0.0));
    expected.put("b", Map.of("c", "x\"y\\z\né/"));
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("e", List.of());
    expected.put("o", Map.of());
    assertThat(v).isEqualTo(expected);
  }

  @Test
  void errorsNameTheirOffset() {
    for (String[] c :
        new String[][] {
          {"", "offset 0: a value is missing"},
          {"{\"a\" 1}", "offset 5: expected ':'"},
          {"{\"a\": 1,}", "offset 8: expected a string key"},
          {"[1 2]", "offset 3: expected ']'"},
          {"\"abc", "offset 4: unterminated string"},
          {"\"a\u0001\"", "offset 2: control character"},
          {"\"\\x\"", "offset 2: bad escape"},
          {"01", "offset 1: text after the value"},
          {"-", "offset 1: expected a digit"},
          {"1.", "offset 2: expected a digit after '.'"},
          {"1e", "offset 2: expected an exponent"},
          {"tru", "offset 0: expected true"},
          {"{\"a\": 1, \"a\": 2}", "offset 9: duplicate key \"a\""},
          {"nul", "offset 0: expected null"},
        }) {
      assertThatThrownBy(() -> Json.parse(c[0]))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c[1]);
    }
    String deep = "[".repeat(200) + "]".repeat(200);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested more than 100");
  }

  @Test
  void writesWhatItParsesBack() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "q\"\\\n\u0001");
    m.put("i", 3);
    m.put("d", 2.5);
    m.put("l", Arrays.asList(true, null, List.of()));
    m.put("m", Map.of("k", 1L));
    String json = Json.write(m);
    assertThat(json)
        .isEqualTo(
            "{\"s\":\"q\\\"\\\\\\u000a\\u0001\",\"i\":3,\"d\":2.5,\"l\":[true,null,[]],"
                + "\"m\":{\"k\":1}}");
    Map<String, Object> back = new LinkedHashMap<>(m);
    back.put("i", 3.0);
    back.put("m", Map.of("k", 1.0));
    assertThat(Json.parse(json)).isEqualTo(back);
    assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("not a JSON number");
    assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("key is not a String");
    assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("not a JSON value");
  }
}
