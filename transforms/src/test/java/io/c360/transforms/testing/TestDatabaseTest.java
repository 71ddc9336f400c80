package io.c360.transforms.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestDatabaseTest {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void migrationsCreateEveryLayer() throws Exception {
    List<String> schemas = new ArrayList<>();
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace")) {
      while (rs.next()) {
        schemas.add(rs.getString(1));
      }
    }
    assertThat(schemas, hasItems("raw", "staging", "dw", "mart", "dq", "ops", "share"));
  }
}
