package io.c360.transforms.jdbc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class NamedSqlTest {
  @Test
  void namesBecomePositionalParametersInOrder() {
    NamedSql q =
        NamedSql.parse(
            "SELECT count(*) FROM t WHERE run_id = :run AND prev = :prev OR run_id = :run");
    assertThat(
        q.sql(), equalTo("SELECT count(*) FROM t WHERE run_id = ? AND prev = ? OR run_id = ?"));
    assertThat(q.names(), contains("run", "prev", "run"));
  }

  @Test
  void castsAndQuotedTextAreLeftAlone() {
    NamedSql q =
        NamedSql.parse("SELECT :day_end::timestamptz - interval '48 :hours', 'a:b', x::int");
    assertThat(q.sql(), equalTo("SELECT ?::timestamptz - interval '48 :hours', 'a:b', x::int"));
    assertThat(q.names(), contains("day_end"));
  }
}
