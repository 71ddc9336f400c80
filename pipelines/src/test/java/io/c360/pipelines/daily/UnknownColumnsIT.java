package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.pipelines.testing.ParquetFiles;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §1: unknown columns are ignored and reported once per file. A day whose CSV and Parquet
 * files carry columns no entity declares loads as if they were absent, and the report reaches the
 * run summary, ops.pipeline_runs.notices and dq.file_notices (one row per file).
 */
class UnknownColumnsIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final String DATE = "2025-04-01";

  @TempDir Path landing;

  @Test
  void unknownColumnsAreIgnoredAndReportedInTheSummaryAndTheRunRecord() throws Exception {
    Path customers = Files.createDirectories(landing.resolve("customers/dt=" + DATE));
    Files.writeString(
        customers.resolve("part-1.csv"), "customer_id,name,ingest_batch\nC1,Ann,b1\n");
    Files.writeString(
        customers.resolve("part-2.csv"), "ingest_batch,name,customer_id\nb1,Bob,C2\n");
    Files.writeString(customers.resolve("part-3.csv"), "customer_id,name\nC3,Cy\n");
    // a column name with a comma and quotes goes through COPY and a text[] literal intact
    Path products = Files.createDirectories(landing.resolve("products/dt=" + DATE));
    Files.writeString(
        products.resolve("products.csv"),
        "product_id,product_name,category,\"note, \"\"v2\"\"\"\nP1,Pan,Kitchen,x\n");
    Schema sales =
        SchemaBuilder.record("sale")
            .fields()
            .requiredString("transaction_id")
            .requiredString("customer_id")
            .requiredString("product_id")
            .requiredString("quantity")
            .requiredString("amount")
            .requiredString("transaction_ts")
            .requiredString("ingest_batch")
            .endRecord();
    GenericRecord t1 = new GenericData.Record(sales);
    t1.put("transaction_id", "T1");
    t1.put("customer_id", "C1");
    t1.put("product_id", "P1");
    t1.put("quantity", "2");
    t1.put("amount", "20.00");
    t1.put("transaction_ts", DATE + "T09:00:00Z");
    t1.put("ingest_batch", "b1");
    ParquetFiles.write(landing.resolve("sales/dt=" + DATE + "/sales.parquet"), sales, List.of(t1));

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    RunSummary s;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      s =
          DailyRun.execute(
              DailyRun.options(
                  "--runDate=" + DATE,
                  "--input=" + landing,
                  "--jdbcUrl=" + DB.jdbcUrl(),
                  "--dbUser=postgres"),
              out);
    }
    String console = buf.toString(StandardCharsets.UTF_8);
    System.out.println(console);
    assertThat(s.message(), s.status(), is("succeeded"));
    // ignored: every row loads, the extra values go nowhere
    assertThat(s.entities().get("customers").loaded(), is(3L));
    assertThat(s.entities().get("products").loaded(), is(1L));
    assertThat(s.entities().get("sales").loaded(), is(1L));

    assertThat(
        s.notices().stream().map(FileNotices::text).toList(),
        contains(
            "customers: unknown columns [ingest_batch] ignored in 2 files",
            "products: unknown columns [note, \"v2\"] ignored in 1 file",
            "sales: unknown columns [ingest_batch] ignored in 1 file"));
    assertThat(
        console,
        containsString(
            "notices:\n"
                + "  customers: unknown columns [ingest_batch] ignored in 2 files\n"
                + "  products: unknown columns [note, \"v2\"] ignored in 1 file\n"
                + "  sales: unknown columns [ingest_batch] ignored in 1 file\n"));
    assertThat(console, not(containsString("part-3.csv")));

    assertThat(
        DB.column(
            "SELECT e.key || ' ' || (n->>'files') || ' ' || (n->'unknown_columns')::text || ' '"
                + " || (n->>'notice') FROM ops.pipeline_runs, jsonb_each(notices) e,"
                + " jsonb_array_elements(e.value) n WHERE run_id = "
                + s.runId()),
        containsInAnyOrder(
            "customers 2 [\"ingest_batch\"] customers: unknown columns [ingest_batch] ignored in"
                + " 2 files",
            "products 1 [\"note, \\\"v2\\\"\"] products: unknown columns [note, \"v2\"] ignored in"
                + " 1 file",
            "sales 1 [\"ingest_batch\"] sales: unknown columns [ingest_batch] ignored in 1 file"));
    assertThat(
        DB.column(
            "SELECT entity || ' ' || regexp_replace(source_file, '^.*/', '') || ' '"
                + " || array_to_string(unknown_columns, '|') FROM dq.file_notices WHERE run_id = "
                + s.runId()),
        containsInAnyOrder(
            "customers part-1.csv ingest_batch",
            "customers part-2.csv ingest_batch",
            "products products.csv note, \"v2\"",
            "sales sales.parquet ingest_batch"));
  }
}
