package io.c360.pipelines.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code c360 generate} as a user runs it. */
class GenerateCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new GenerateCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpDocumentsEveryOptionAndKnobWithItsDefault() {
    assertThat(run("--help"), equalTo(0));
    String help = out.toString();
    for (String opt :
        new String[] {
          "--scale",
          "--days",
          "--historyDays",
          "--start",
          "--output",
          "--format",
          "--seed",
          "--rate",
          "--clean",
          "--part-rows",
          "--threads"
        }) {
      assertThat(help, containsString(opt));
    }
    for (Defect d : Defect.values()) {
      Pattern row =
          Pattern.compile(
              "\\s"
                  + d.key()
                  + "\\s+"
                  + d.scope().name().toLowerCase(Locale.ROOT)
                  + "\\s+"
                  + Pattern.quote(Double.toString(d.defaultRate()))
                  + "\\s");
      assertThat(d.key(), row.matcher(help).find(), is(true));
    }
  }

  @Test
  void writesTheLandingZoneWithTheGivenArguments(@TempDir Path tmp) throws Exception {
    int code =
        run(
            "--output",
            tmp.toString(),
            "--scale",
            "0.002",
            "--days",
            "2",
            "--start",
            "2024-02-28",
            "--seed",
            "7",
            "--rate",
            "fk_break=0",
            "--rate",
            "DUPLICATE=0.05",
            "--format",
            "parquet");
    assertThat(err.toString(), code, equalTo(0));
    assertThat(out.toString(), containsString("sales"));
    assertThat(out.toString(), containsString("day 2/2 2024-02-29"));
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("_generator.json").toFile());
    assertThat(json.at("/arguments/seed").asLong(), equalTo(7L));
    assertThat(json.at("/arguments/format").asText(), equalTo("parquet"));
    assertThat(json.at("/arguments/rates/fk_break").asDouble(), equalTo(0.0));
    assertThat(json.at("/arguments/rates/duplicate").asDouble(), equalTo(0.05));
    assertThat(json.at("/injected_totals/fk_break/total").asLong(), equalTo(0L));
    assertThat(json.at("/rows/sales/2024-02-29").asLong(), equalTo(2_000L));
    assertThat(Files.isDirectory(tmp.resolve("sales/dt=2024-02-29")), is(true));
  }

  @Test
  void historyDaysAddsSlicesOfBackdatedSalesToEachDay(@TempDir Path tmp) throws Exception {
    int code =
        run(
            "--output",
            tmp.toString(),
            "--scale",
            "0.001",
            "--days",
            "2",
            "--historyDays",
            "30",
            "--start",
            "2025-01-01",
            "--clean");
    assertThat(err.toString(), code, equalTo(0));
    assertThat(out.toString(), containsString("with 30 days of history before it"));
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("_generator.json").toFile());
    assertThat(json.at("/arguments/history_days").asInt(), equalTo(30));
    assertThat(json.at("/arguments/history_start").asText(), equalTo("2024-12-02"));
    // 1,000 same-day sales plus 15 history dates of a tenth of that each
    assertThat(json.at("/rows/sales/2025-01-01").asLong(), equalTo(2_500L));
    assertThat(json.at("/rows/sales/2025-01-02").asLong(), equalTo(2_500L));
    assertThat(run("--output", tmp.toString(), "--historyDays", "-1"), equalTo(2));
    assertThat(err.toString(), containsString("historyDays must be in [0, 3660]"));
  }

  @Test
  void cleanSetsEveryKnobToZero(@TempDir Path tmp) throws Exception {
    assertThat(
        run("--output", tmp.toString(), "--scale", "0.001", "--days", "1", "--clean"), equalTo(0));
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("_generator.json").toFile());
    for (Defect d : Defect.values()) {
      assertThat(d.key(), json.at("/arguments/rates/" + d.key()).asDouble(), equalTo(0.0));
      assertThat(d.key(), json.at("/injected_totals/" + d.key() + "/total").asLong(), equalTo(0L));
    }
  }

  @Test
  void badArgumentsFailWithAUsageError(@TempDir Path tmp) {
    String o = tmp.toString();
    assertThat(run("--output", o, "--format", "xlsx"), equalTo(2));
    assertThat(err.toString(), containsString("--format must be csv or parquet"));
    assertThat(run("--output", o, "--rate", "duplicate=1.5"), equalTo(2));
    assertThat(err.toString(), containsString("rate of duplicate must be in [0, 1]"));
    assertThat(run("--output", o, "--rate", "dupes=0.1"), equalTo(2));
    assertThat(err.toString(), containsString("unknown defect 'dupes'"));
    assertThat(run("--output", o, "--scale", "0"), equalTo(2));
    assertThat(err.toString(), containsString("scale must be in (0, 1000]"));
    assertThat(run("--scale", "1"), equalTo(2));
    assertThat(err.toString(), containsString("--output"));
    assertThat(run("--output", o, "--start", "2025-02-30"), equalTo(2));
  }
}
