package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c360.pipelines.daily.C360Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Keeps deploy/ honest: every c360 command line the deploy files show or run is accepted by the
 * c360 parser as it is built here (picocli, then {@link RunCommand#parse} with {@link C360Options}
 * and the Flink and Dataflow runners' options on the test classpath, as in their runner jars).
 *
 * <p>Checked: the {@code args} of deploy/flink/flink-deployment.yaml; every command in deploy/
 * (README code blocks, comments, scripts) that invokes {@code ./c360}, {@code java -jar}, or {@code
 * submit.sh run|launch}; and every parameter of deploy/dataflow/metadata.json, passed the way the
 * flex template launcher passes them: {@code --name=value} with the launcher's own options and no
 * sub-command. Values are kept as written (placeholders such as {@code …} are strings to Beam).
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");

  /** What the flex template launcher and submit.sh add themselves (Dataflow runner options). */
  private static final List<String> DATAFLOW_LAUNCHER =
      List.of(
          "--runner=DataflowRunner",
          "--project=my-project",
          "--region=europe-west1",
          "--stagingLocation=gs://my-bucket/staging",
          "--tempLocation=gs://my-bucket/temp",
          "--jobName=c360-20260331-101500",
          "--serviceAccount=c360@my-project.iam.gserviceaccount.com",
          "--labels={\"goog-dataflow-provided-template-type\":\"flex\"}");

  private static final Pattern C360_COMMAND =
      Pattern.compile("(?:\\./c360|java\\s+-jar\\s+\\S*c360\\S*\\.jar|\"\\$jar\")\\s+(.*)");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern SUBMIT = Pattern.compile("submit\\.sh\\s+(run|launch)\\s+(.*)");

  @Test
  void flinkDeploymentArgsParse() throws IOException {
    List<String> args = yamlList(DEPLOY.resolve("flink/flink-deployment.yaml"), "args");
    assertThat(args, hasItems("run", "--runner=FlinkRunner"));
    assertAccepted("flink-deployment.yaml args", args);
  }

  @Test
  void everyDocumentedCommandParses() throws IOException {
    Map<String, List<String>> commands = commands();
    // Guard against a silently empty scan: the README alone documents these.
    List<String> where = new ArrayList<>(commands.keySet());
    String found = String.join("\n", where);
    assertThat(found, where.stream().filter(w -> w.startsWith("README.md")).count() >= 6, is(true));
    assertThat(found, where.stream().anyMatch(w -> w.contains("submit.sh run")), is(true));
    assertThat(found, where.stream().anyMatch(w -> w.contains("submit.sh launch")), is(true));
    assertThat(
        found, where.stream().anyMatch(w -> w.startsWith("local/docker-compose.yml")), is(true));
    List<String> rejected = new ArrayList<>();
    commands.forEach(
        (w, args) -> {
          String problem = problem(args);
          if (problem != null) {
            rejected.add(w + ": " + String.join(" ", args) + "\n    → " + problem);
          }
        });
    assertThat(String.join("\n", rejected), rejected, empty());
  }

  @Test
  void flexTemplateParametersParseWithoutASubCommand() throws IOException {
    JsonNode params =
        new ObjectMapper()
            .readTree(DEPLOY.resolve("dataflow/metadata.json").toFile())
            .path("parameters");
    assertThat(params.size() > 0, is(true));
    List<String> args = new ArrayList<>(DATAFLOW_LAUNCHER);
    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode p : params) {
      String name = p.path("name").asText();
      String value = sample(p);
      values.put(name, value);
      args.add("--" + name + "=" + value);
    }
    assertThat(values.keySet(), hasItems("runDate", "input", "jdbcUrl", "dbUser"));
    assertThat(values.keySet(), hasItem("jdbcPasswordSecret"));
    // The launcher calls C360.main(args): no sub-command in front.
    String[] executed = C360.arguments(args.toArray(new String[0]));
    assertThat(executed[0], equalTo("run"));
    C360Options o = parse(List.of(executed));
    assertThat(o.getRunner().getSimpleName(), equalTo("DataflowRunner"));
    assertThat(o.getRunDate(), equalTo(values.get("runDate")));
    assertThat(o.getInput(), equalTo(values.get("input")));
    assertThat(o.getJdbcUrl(), equalTo(values.get("jdbcUrl")));
    assertThat(o.getDbUser(), equalTo(values.get("dbUser")));
    assertThat(o.getJdbcPasswordSecret(), equalTo(values.get("jdbcPasswordSecret")));
  }

  @Test
  void theCheckerRejectsWhatTheParserRejects() {
    // The old deploy files' option: Beam rejects an unknown option, picocli an unknown flag.
    assertThat(
        problem(List.of("run", "--runDate=2026-03-31", "--jdbcUser=c360")), not(nullValue()));
    assertThat(problem(List.of("migrate", "--jdbcUser=c360")), not(nullValue()));
    assertThat(problem(List.of("run", "--parallelism=two")), not(nullValue()));
    assertThat(problem(List.of("run", "--runDate=2026-03-31", "--dbUser=c360")), nullValue());
    assertThat(problem(List.of("migrate", "--dbUser=c360")), nullValue());
  }

  @Test
  void optionFirstCommandLinesAreRunsButHelpAndVersionAreNot() {
    assertThat(
        C360.arguments("--runDate=2026-03-31"),
        equalTo(new String[] {"run", "--runDate=2026-03-31"}));
    assertThat(C360.arguments("--help"), equalTo(new String[] {"--help"}));
    assertThat(C360.arguments("--version"), equalTo(new String[] {"--version"}));
    assertThat(C360.arguments("-h"), equalTo(new String[] {"-h"}));
    assertThat(C360.arguments("-V"), equalTo(new String[] {"-V"}));
    assertThat(C360.arguments("run", "--runDate=x"), equalTo(new String[] {"run", "--runDate=x"}));
    assertThat(C360.arguments(), equalTo(new String[] {}));
    // An option-first line without --runDate fails as a run would, not with the top-level usage:
    // a bad argument of the run, exit code 2.
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cmd = C360.commandLine();
    cmd.setErr(new java.io.PrintWriter(err, true));
    int code = cmd.execute(C360.arguments("--input=/nowhere"));
    assertThat(code, is(2));
    assertThat(err.toString(), startsWith("run: --runDate=YYYY-MM-DD is required"));
  }

  private static void assertAccepted(String where, List<String> args) {
    assertThat(where + ": " + String.join(" ", args), problem(args), nullValue());
  }

  /** Null if c360 accepts {@code args} (sub-command first), else the parser's message. */
  private static String problem(List<String> args) {
    try {
      parse(args);
      return null;
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /**
   * Parses like {@code C360.main} up to the point where a command would run: picocli for the
   * command and its flags, then Beam's strict options parsing for the run-like commands.
   */
  private static C360Options parse(List<String> args) {
    ParseResult top = C360.commandLine().parseArgs(C360.arguments(args.toArray(new String[0])));
    ParseResult sub = top.subcommand();
    Object command = sub == null ? null : sub.commandSpec().userObject();
    if (command instanceof RunCommand r) {
      return RunCommand.parse(r.args);
    }
    if (command instanceof BackfillCommand b) {
      return RunCommand.parse(b.args);
    }
    return null;
  }

  /** Commands found in deploy/, keyed by file:line and kind, as argument lists. */
  private static Map<String, List<String>> commands() throws IOException {
    Map<String, List<String>> found = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(f -> !f.toString().contains(".cluster"))
              .filter(f -> !f.getFileName().toString().equals("pom.xml"))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      List<Map.Entry<Integer, String>> snippets = snippets(f);
      for (int i = 0; i < snippets.size(); i++) {
        int first = snippets.get(i).getKey();
        StringBuilder line = new StringBuilder(snippets.get(i).getValue());
        while (line.toString().endsWith("\\") && i + 1 < snippets.size()) {
          line.setLength(line.length() - 1);
          line.append(' ').append(snippets.get(++i).getValue());
        }
        String where = DEPLOY.relativize(f) + ":" + first;
        Matcher submit = SUBMIT.matcher(line);
        Matcher c360 = C360_COMMAND.matcher(line);
        if (submit.find()) {
          List<String> args = new ArrayList<>();
          args.add("run");
          args.addAll(DATAFLOW_LAUNCHER.subList(0, 5));
          // Only the options: submit.sh's own usage text may follow them.
          tokens(submit.group(2)).stream().takeWhile(t -> t.startsWith("--")).forEach(args::add);
          if (submit.group(1).equals("run")) {
            args.add("--jdbcPasswordSecret=projects/p/secrets/s/versions/latest");
          }
          found.put(where + " submit.sh " + submit.group(1), args);
        } else if (c360.find() && !line.toString().contains("mvn")) {
          found.put(where, tokens(c360.group(1)));
        }
      }
    }
    return found;
  }

  /**
   * The text that may hold commands, with 1-based line numbers: every line of a script or YAML
   * file; of Markdown, the code block lines and the {@code `inline code`} of the prose.
   */
  private static List<Map.Entry<Integer, String>> snippets(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f);
    List<Map.Entry<Integer, String>> out = new ArrayList<>();
    boolean markdown = f.toString().endsWith(".md");
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (markdown && l.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (!markdown || fenced || l.startsWith("    ")) {
        out.add(Map.entry(i + 1, strip(l)));
      } else {
        Matcher code = INLINE_CODE.matcher(l);
        while (code.find()) {
          out.add(Map.entry(i + 1, code.group(1).strip()));
        }
      }
    }
    return out;
  }

  /** A line without its comment marker and indentation. */
  private static String strip(String line) {
    return line.strip().replaceFirst("^#\\s?", "").strip();
  }

  /** Shell words up to a comment or operator, unquoted; "$@" and a bare "..." dropped. */
  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.trim().split("\\s+")) {
      if (w.startsWith("#") || w.equals("&&") || w.equals("|") || w.equals(";")) {
        break;
      }
      if (w.equals("\"$@\"") || w.isEmpty() || w.equals("...") || w.equals("…")) {
        continue;
      }
      out.add(w.replace("\"", "").replace("'", ""));
    }
    return out;
  }

  /** The items of the YAML block list under {@code key:} (one level, "- item" lines). */
  private static List<String> yamlList(Path file, String key) throws IOException {
    List<String> items = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.equals(key + ":")) {
        in = true;
      } else if (in && t.startsWith("- ")) {
        items.add(t.substring(2).strip());
      } else if (in && !t.isEmpty()) {
        break;
      }
    }
    assertThat(file + " has " + key, items, not(hasSize(0)));
    return items;
  }

  /** A realistic value that satisfies the parameter's regexes (proving they are satisfiable). */
  private static String sample(JsonNode param) {
    List<String> candidates =
        List.of(
            "2026-03-31",
            "gs://my-bucket/landing",
            "jdbc:postgresql://10.0.0.5:5432/c360",
            "projects/my-project/secrets/c360-db/versions/latest",
            "c360_writer");
    List<Pattern> regexes = new ArrayList<>();
    param.path("regexes").forEach(r -> regexes.add(Pattern.compile(r.asText())));
    if (regexes.isEmpty()) {
      return param.path("name").asText().equals("timezone") ? "Europe/Paris" : "c360_writer";
    }
    for (String c : candidates) {
      if (regexes.stream().allMatch(r -> r.matcher(c).matches())) {
        return c;
      }
    }
    throw new AssertionError("no realistic value matches the regexes of " + param);
  }
}
