package io.c360.pipelines.daily;

import io.c360.pipelines.report.RunReport;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of a daily run ({@code c360 run}, {@code c360 backfill}). Any other Beam option
 * (--runner, --flinkMaster, --parallelism, --project, --endpoint, ...) passes through. The database
 * password is deliberately not an option: it comes from --passwordFile, else C360_DB_PASSWORD, else
 * the Secret Manager version {@code --jdbcPasswordSecret} names (a resource name, not a value).
 */
public interface C360Options extends PipelineOptions {
  @Description("The date to process, YYYY-MM-DD: reads <input>/<entity>/dt=<runDate>/.")
  String getRunDate();

  void setRunDate(String value);

  @Description("The date KPIs are computed for, YYYY-MM-DD (default: runDate).")
  String getAsOf();

  void setAsOf(String value);

  @Description("Landing root: a local folder, s3://bucket/prefix or gs://bucket/prefix.")
  String getInput();

  void setInput(String value);

  @Description(
      "Target PostgreSQL, e.g. jdbc:postgresql://host:5432/db (no password in it). Default: the"
          + " embedded PostgreSQL with data in --dataDir.")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Database user for --jdbcUrl.")
  @Default.String("postgres")
  String getDbUser();

  void setDbUser(String value);

  @Description(
      "File whose first line is the database password (else the C360_DB_PASSWORD environment"
          + " variable).")
  String getPasswordFile();

  void setPasswordFile(String value);

  @Description(
      "Secret Manager version holding the database password,"
          + " projects/P/secrets/S/versions/V; read with the GCE metadata server's service account"
          + " when neither --passwordFile nor C360_DB_PASSWORD is given (Dataflow flex template).")
  String getJdbcPasswordSecret();

  void setJdbcPasswordSecret(String value);

  @Description("Data folder of the embedded PostgreSQL (used when --jdbcUrl is not given).")
  @Default.String(".c360/pg")
  String getDataDir();

  void setDataDir(String value);

  @Description("Port of the embedded PostgreSQL.")
  @Default.Integer(54329)
  Integer getPgPort();

  void setPgPort(Integer value);

  @Description("Time zone for naive timestamps and calendar dates (IANA name).")
  @Default.String("UTC")
  String getTimezone();

  void setTimezone(String value);

  @Description("CSV field delimiter (one character).")
  @Default.String(",")
  String getCsvDelimiter();

  void setCsvDelimiter(String value);

  @Description(
      "delta: customers absent from the day's file are unchanged; snapshot: their open version is"
          + " closed (is_deleted version).")
  @Default.Enum("delta")
  CustomersMode getCustomersMode();

  void setCustomersMode(CustomersMode value);

  @Description("Write every row read, as landed, to raw.<entity>.")
  @Default.Boolean(true)
  Boolean getKeepRaw();

  void setKeepRaw(Boolean value);

  @Description(
      "Checks file (YAML) replacing the defaults shipped with c360: accepted values and the"
          + " data-quality checks, one block per entity and column (README, \"Checks\").")
  String getChecks();

  void setChecks(String value);

  @Description(
      "If another run holds the warehouse lock: fail at once (false) or wait for it (true).")
  @Default.Boolean(false)
  Boolean getWaitForLock();

  void setWaitForLock(Boolean value);

  @Description(
      "Folder the run's HTML report is written to, as c360-run-<id>-<runDate>.html and"
          + " latest.html (empty: no report).")
  @Default.String(RunReport.DEFAULT_DIR)
  String getReportDir();

  void setReportDir(String value);

  /** How the customers file of a day is read. */
  enum CustomersMode {
    delta,
    snapshot
  }
}
