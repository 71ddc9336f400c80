package io.c360.pipelines.checks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Entities;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The checks file: the shipped defaults parse, and every mistake names its file and line. */
class CheckFileTest {
  private static final String ACCEPTED = "accepted_values:\n  segment: [SMB, Enterprise]\n";

  @Test
  void defaultsDeclareEveryKindAndTheSpecsAcceptedValues() {
    CheckFile f = CheckFile.defaults();
    assertThat(f.acceptedValues("category"), equalTo(Entities.CATEGORIES));
    assertThat(f.acceptedValues("segment"), equalTo(Entities.SEGMENTS));
    assertThat(f.acceptedValues("status"), equalTo(Entities.STATUSES));
    for (Kind k : Kind.values()) {
      assertThat(k.name(), f.checks().stream().anyMatch(c -> c.kind() == k), is(true));
    }
    Check fresh =
        f.checks().stream()
            .filter(c -> c.kind() == Kind.freshness && c.entity().equals("sales"))
            .findFirst()
            .orElseThrow();
    assertThat(fresh.window(), equalTo(Duration.ofHours(48)));
  }

  @Test
  void blocksKeepTheirLineAndThresholds() {
    CheckFile f =
        CheckFile.parse(
            ACCEPTED
                + "checks:\n"
                + "  - entity: sales\n"
                + "    column: transaction_id\n"
                + "    kind: unique\n"
                + "    severity: error\n"
                + "    threshold: 2%\n"
                + "  - {entity: customers, column: segment, kind: accepted_values, severity: warn,"
                + " threshold: 3}\n"
                + "  - {entity: customers, column: updated_at, kind: freshness, severity: warn,"
                + " window: 3d}\n",
            "mine.yaml");
    assertThat(f.checks(), hasSize(3));
    Check u = f.checks().get(0);
    assertThat(u.line(), is(4));
    assertThat(u.threshold(), equalTo(new Threshold(2, true)));
    assertThat(u.threshold().exceededBy(2, 100), is(false));
    assertThat(u.threshold().exceededBy(3, 100), is(true));
    assertThat(f.checks().get(1).threshold(), equalTo(new Threshold(3, false)));
    assertThat(f.checks().get(1).line(), is(9));
    assertThat(f.checks().get(2).window(), equalTo(Duration.ofDays(3)));
    assertThat(f.acceptedValues("segment"), contains("SMB", "Enterprise"));
    // a list the file leaves out keeps the model's
    assertThat(f.acceptedValues("status"), equalTo(Entities.STATUSES));
  }

  @Test
  void unknownKindNamesLineAndTheKinds() {
    CheckFileException e =
        fails(
            "checks:\n"
                + "  - entity: sales\n"
                + "    column: amount\n"
                + "    kind: not_negative\n"
                + "    severity: warn\n");
    assertThat(e.getMessage(), startsWith("bad.yaml:4: kind: 'not_negative' is not one of"));
    assertThat(e.getMessage(), containsString("outliers_zscore"));
  }

  @Test
  void unknownColumnNamesLineAndTheColumns() {
    CheckFileException e =
        fails(
            "checks:\n"
                + "  - {entity: sales, kind: reconciliation, severity: error}\n"
                + "  - entity: sales\n"
                + "    column: amount_eur\n"
                + "    kind: not_null\n"
                + "    severity: warn\n");
    assertThat(e.getMessage(), startsWith("bad.yaml:4: sales has no column 'amount_eur'"));
    assertThat(e.line(), is(4));
  }

  @Test
  void eachMistakeIsReportedAtItsLine() {
    assertThat(
        fails("checks:\n  - {entity: shops, kind: reconciliation, severity: error}\n").getMessage(),
        startsWith("bad.yaml:2: unknown entity 'shops'"));
    assertThat(
        fails("checks:\n  - {entity: sales, kind: reconciliation, severity: fatal}\n").getMessage(),
        startsWith("bad.yaml:2: severity: 'fatal' is not one of warn, error"));
    assertThat(
        fails("checks:\n\n  - entity: sales\n    kind: not_null\n    severity: warn\n")
            .getMessage(),
        startsWith("bad.yaml:3: not_null needs a 'column'"));
    assertThat(
        fails(
                "checks:\n  - entity: sales\n    column: amount\n    kind: not_null\n"
                    + "    severity: warn\n    threshold: lots\n")
            .getMessage(),
        startsWith("bad.yaml:6: threshold: 'lots' is not a row count (10) or a percentage (2%)"));
    assertThat(
        fails(
                "checks:\n  - entity: sales\n    column: transaction_ts\n    kind: freshness\n"
                    + "    severity: warn\n    window: 2 weeks\n")
            .getMessage(),
        startsWith("bad.yaml:6: window: '2 weeks' is not hours or days"));
    assertThat(
        fails(
                "checks:\n  - entity: sales\n    column: transaction_ts\n    kind: freshness\n"
                    + "    severity: warn\n")
            .getMessage(),
        startsWith("bad.yaml:2: freshness needs a 'window'"));
    assertThat(
        fails("checks:\n  - {entity: sales, kind: row_count_change, severity: warn}\n")
            .getMessage(),
        startsWith("bad.yaml:2: row_count_change needs a 'threshold' in percent"));
    assertThat(
        fails(
                "checks:\n  - entity: sales\n    column: amount\n    kind: outliers_iqr\n"
                    + "    severity: warn\n    treshold: 5%\n")
            .getMessage(),
        startsWith("bad.yaml:6: unknown key 'treshold'"));
    assertThat(
        fails(
                "checks:\n  - entity: sales\n    column: status\n    kind: relationships\n"
                    + "    severity: warn\n")
            .getMessage(),
        startsWith("bad.yaml:3: relationships: sales.status references no dimension"));
    assertThat(
        fails("checks:\n  - {entity: channels, kind: scd2_intervals, severity: error}\n")
            .getMessage(),
        startsWith("bad.yaml:2: scd2_intervals: channels keeps no history"));
  }

  @Test
  void acceptedValuesAreChecked() {
    assertThat(
        fails("accepted_values:\n  colour: [red]\nchecks: []\n").getMessage(),
        startsWith("bad.yaml:2: 'colour' has no accepted values in the entity model"));
    assertThat(
        fails("accepted_values:\n  category:\n    - Toys\n    - toys\nchecks: []\n").getMessage(),
        startsWith("bad.yaml:4: accepted_values.category: 'toys' is listed twice"));
    assertThat(
        fails("accepted_values:\n  status: [cancelled, returned]\nchecks: []\n").getMessage(),
        startsWith("bad.yaml:2: accepted_values.status must include 'completed'"));
  }

  @Test
  void brokenYamlAndMissingChecksNameTheLine() {
    assertThat(
        fails("checks:\n  - {entity: sales, kind: unique\n  - oops: [\n").getMessage(),
        startsWith("bad.yaml:3: not valid YAML"));
    assertThat(
        fails("accepted_values:\n  segment: [SMB]\n").getMessage(),
        startsWith("bad.yaml:1: no 'checks:' list"));
    assertThat(fails("").getMessage(), startsWith("bad.yaml:1: the file is empty"));
    assertThat(
        fails("checks:\n  - {entity: sales, kind: reconciliation, severity: error}\nwhat: 1\n")
            .getMessage(),
        startsWith("bad.yaml:3: unknown key 'what'"));
  }

  private static CheckFileException fails(String text) {
    return assertThrows(CheckFileException.class, () -> CheckFile.parse(text, "bad.yaml"));
  }
}
