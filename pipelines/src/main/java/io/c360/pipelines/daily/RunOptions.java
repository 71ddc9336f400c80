package io.c360.pipelines.daily;

import io.c360.pipelines.checks.CheckFile;
import io.c360.pipelines.checks.CheckFileException;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.model.Entities;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;

/** The first step of a run: its options checked, and as recorded in {@code ops.pipeline_runs}. */
public final class RunOptions {
  private RunOptions() {}

  /**
   * Checks the options a daily run needs before anything is opened or recorded: --runDate (and
   * --asOf) are dates, --input is given, --timezone is a zone, --csvDelimiter is one usable
   * character.
   *
   * @throws InvalidOptionsException naming the option; the command line exits with code 2
   */
  public static void check(C360Options options) {
    if (options.getRunDate() == null) {
      throw new InvalidOptionsException("--runDate=YYYY-MM-DD is required");
    }
    date("--runDate", options.getRunDate());
    if (options.getAsOf() != null) {
      date("--asOf", options.getAsOf());
    }
    if (options.getInput() == null || options.getInput().isBlank()) {
      throw new InvalidOptionsException(
          "--input=<landing root> is required: a local folder, s3://bucket/prefix or"
              + " gs://bucket/prefix");
    }
    try {
      ZoneId.of(options.getTimezone());
    } catch (DateTimeException e) {
      throw new InvalidOptionsException(
          "--timezone=" + options.getTimezone() + " is not a time zone (e.g. UTC, Europe/Paris)",
          e);
    }
    String delimiter = options.getCsvDelimiter();
    if (delimiter == null || delimiter.length() != 1) {
      throw new InvalidOptionsException(
          "--csvDelimiter must be one character, got '" + delimiter + "'");
    }
    try {
      ReadEntity.of(Entities.SALES).withCsvDelimiter(delimiter.charAt(0));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException("--" + e.getMessage(), e);
    }
    checkFile(options);
  }

  /** The run's checks file (--checks, else the defaults), its errors naming file and line. */
  static CheckFile checkFile(C360Options options) {
    try {
      return CheckFile.load(options.getChecks());
    } catch (CheckFileException e) {
      throw new InvalidOptionsException("--checks: " + e.getMessage(), e);
    }
  }

  private static void date(String option, String value) {
    try {
      LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidOptionsException(
          option + "=" + value + " is not a date YYYY-MM-DD (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The options of the run as recorded in {@code ops.pipeline_runs.options} (SPEC §5): every option
   * that was set — on the command line or by c360 before the run — whatever interface declares it
   * (c360's, --runner, --flinkMaster, --parallelism, --project, --region, --endpoint, --awsRegion,
   * ...), plus the runner. Defaults nobody set are left out. {@link RunRecorder} masks anything
   * that looks like a secret.
   */
  static Map<String, Object> recorded(PipelineOptions options) {
    // Display data lists the options set on the proxy, but only those of interfaces it has been
    // viewed as; an option of another registered interface (--flinkMaster before the Flink runner
    // looked at it) would be missing, so every registered interface is made known first.
    for (Class<? extends PipelineOptions> i : PipelineOptionsFactory.getRegisteredOptions()) {
      options.as(i);
    }
    Map<String, Object> m = new TreeMap<>();
    for (DisplayData.Item item : DisplayData.from(options).items()) {
      Object v = item.getValue();
      m.putIfAbsent(item.getKey(), v instanceof Class<?> c ? c.getName() : v);
    }
    m.put("runner", options.getRunner().getName());
    return m;
  }
}
