package io.c360.pipelines.checks;

import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A checks file (SPEC §5): the accepted values of the enumerated columns and the declared checks,
 * one block per entity and column. The defaults ship as {@code checks.yaml} next to this class;
 * {@code --checks=FILE} replaces them. Parsing checks every block against the entity model, so a
 * run with a bad file stops before any stage, with a message naming the file and the line.
 *
 * <pre>{@code
 * CheckFile f = CheckFile.load(options.getChecks()); // null: the defaults
 * List<String> categories = f.acceptedValues("category");
 * }</pre>
 */
public record CheckFile(String source, Map<String, List<String>> accepted, List<Check> checks) {
  /** The resource holding the defaults. */
  public static final String DEFAULTS = "checks.yaml";

  private static final Set<String> TOP_KEYS = Set.of("accepted_values", "checks");
  private static final Set<String> BLOCK_KEYS =
      new LinkedHashSet<>(List.of("entity", "column", "kind", "severity", "threshold", "window"));
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
  private static final Pattern COUNT = Pattern.compile("\\d+");
  private static final Pattern WINDOW = Pattern.compile("(\\d+)\\s*([hd])");

  public CheckFile {
    accepted = Map.copyOf(accepted);
    checks = List.copyOf(checks);
  }

  /** The file {@code path} names, or the defaults when it is null or blank. */
  public static CheckFile load(String path) {
    if (path == null || path.isBlank()) {
      return defaults();
    }
    Path p = Path.of(path);
    String text;
    try {
      text = Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CheckFileException(path, 0, "cannot read the checks file (" + e + ")");
    }
    return parse(text, path);
  }

  /** The checks shipped with c360. */
  public static CheckFile defaults() {
    try (InputStream in = CheckFile.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULTS);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "c360:" + DEFAULTS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS, e);
    }
  }

  /** Parses and checks the text of a checks file; {@code source} names it in messages. */
  public static CheckFile parse(String text, String source) {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new CheckFileException(
          source, m == null ? 1 : m.getLine() + 1, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new CheckFileException(source, 1, "not valid YAML: " + e.getMessage());
    }
    return new Parser(source).file(root);
  }

  /**
   * The accepted values of an enumerated column ({@code segment}, {@code category}, {@code status})
   * as this file declares them, else as the entity model does.
   */
  public List<String> acceptedValues(String column) {
    List<String> v = accepted.get(column);
    if (v != null) {
      return v;
    }
    return modelValues(column).orElseThrow(() -> new IllegalArgumentException(column));
  }

  /** The enumerated columns of the entity model, by column name (first declaration wins). */
  private static Optional<List<String>> modelValues(String column) {
    for (EntitySpec e : Entities.ALL) {
      Optional<io.c360.transforms.model.Column> c = e.column(column);
      if (c.isPresent() && c.get().type() == ColumnType.ENUM) {
        return Optional.of(c.get().acceptedValues());
      }
    }
    return Optional.empty();
  }

  /** Walks the composed YAML, keeping the line of every node for messages. */
  private static final class Parser {
    private final String source;

    Parser(String source) {
      this.source = source;
    }

    CheckFile file(Node root) {
      if (root == null) {
        throw fail(1, "the file is empty: expected 'accepted_values:' and 'checks:'");
      }
      MappingNode top = mapping(root, "the file");
      Map<String, List<String>> accepted = new LinkedHashMap<>();
      List<Check> checks = null;
      for (NodeTuple t : top.getValue()) {
        String key = scalar(t.getKeyNode(), "a top-level key");
        switch (key) {
          case "accepted_values" -> accepted = acceptedValues(t.getValueNode());
          case "checks" -> checks = checks(t.getValueNode(), accepted);
          default ->
              throw fail(
                  t.getKeyNode(), "unknown key '" + key + "', expected one of " + sorted(TOP_KEYS));
        }
      }
      if (checks == null) {
        throw fail(root, "no 'checks:' list");
      }
      return new CheckFile(source, accepted, checks);
    }

    private Map<String, List<String>> acceptedValues(Node node) {
      Map<String, List<String>> m = new LinkedHashMap<>();
      for (NodeTuple t : mapping(node, "accepted_values").getValue()) {
        String column = scalar(t.getKeyNode(), "a column name");
        if (modelValues(column).isEmpty()) {
          throw fail(
              t.getKeyNode(),
              "'"
                  + column
                  + "' has no accepted values in the entity model; columns with a list: segment,"
                  + " category, status");
        }
        if (!(t.getValueNode() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
          throw fail(t.getValueNode(), "accepted_values." + column + ": expected a list of values");
        }
        List<String> values = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Node v : seq.getValue()) {
          String s = scalar(v, "a value of " + column).strip();
          if (s.isEmpty()) {
            throw fail(v, "accepted_values." + column + ": empty value");
          }
          if (!seen.add(s.toLowerCase(Locale.ROOT).replaceAll("\\s", ""))) {
            throw fail(v, "accepted_values." + column + ": '" + s + "' is listed twice");
          }
          values.add(s);
        }
        if (column.equals("status") && !values.contains("completed")) {
          // SPEC §1: an empty status means completed, and revenue counts completed sales
          throw fail(seq, "accepted_values.status must include 'completed'");
        }
        if (m.put(column, List.copyOf(values)) != null) {
          throw fail(t.getKeyNode(), "accepted_values." + column + " is declared twice");
        }
      }
      return m;
    }

    private List<Check> checks(Node node, Map<String, List<String>> accepted) {
      if (!(node instanceof SequenceNode seq)) {
        throw fail(node, "checks: expected a list of blocks ('- entity: ...')");
      }
      List<Check> out = new ArrayList<>();
      for (Node b : seq.getValue()) {
        out.add(check(mapping(b, "a check block"), accepted));
      }
      return out;
    }

    private Check check(MappingNode block, Map<String, List<String>> accepted) {
      current = line(block.getStartMark()); // what a missing key is reported at
      Map<String, ScalarNode> f = new LinkedHashMap<>();
      for (NodeTuple t : block.getValue()) {
        String key = scalar(t.getKeyNode(), "a key");
        if (!BLOCK_KEYS.contains(key)) {
          throw fail(t.getKeyNode(), "unknown key '" + key + "', expected one of " + BLOCK_KEYS);
        }
        if (!(t.getValueNode() instanceof ScalarNode v)) {
          throw fail(t.getValueNode(), key + ": expected a single value");
        }
        if (f.put(key, v) != null) {
          throw fail(t.getKeyNode(), key + " is given twice");
        }
      }
      for (String required : List.of("entity", "kind", "severity")) {
        if (!f.containsKey(required)) {
          throw fail(block, "the block has no '" + required + "'");
        }
      }
      Kind kind = oneOf(Kind.class, f.get("kind"), "kind");
      Severity severity = oneOf(Severity.class, f.get("severity"), "severity");
      EntitySpec entity;
      try {
        entity = Entities.byName(f.get("entity").getValue());
      } catch (IllegalArgumentException e) {
        throw fail(f.get("entity"), e.getMessage());
      }
      String column = column(kind, entity, f.get("column"), accepted);
      Duration window = window(kind, f.get("window"));
      Threshold threshold = threshold(kind, f.get("threshold"));
      if (kind == Kind.scd2_intervals && entity.versionColumn().isEmpty()) {
        throw fail(f.get("entity"), "scd2_intervals: " + entity.name() + " keeps no history");
      }
      return new Check(
          kind, entity.name(), column, severity, threshold, window, line(block.getStartMark()));
    }

    private String column(
        Kind kind, EntitySpec entity, ScalarNode node, Map<String, List<String>> accepted) {
      if (kind.column == Kind.Column.NONE) {
        if (node != null) {
          throw fail(node, kind + " looks at the whole entity: remove 'column'");
        }
        return null;
      }
      if (node == null) {
        throw fail(null, kind + " needs a 'column'");
      }
      String name = node.getValue();
      Optional<io.c360.transforms.model.Column> c = entity.column(name);
      if (c.isEmpty()) {
        throw fail(
            node,
            entity.name()
                + " has no column '"
                + name
                + "', expected one of "
                + entity.columnNames());
      }
      ColumnType type = c.get().type();
      switch (kind) {
        case relationships -> {
          if (!entity.relationships().containsKey(name)) {
            throw fail(
                node,
                "relationships: "
                    + entity.name()
                    + "."
                    + name
                    + " references no dimension; columns that do: "
                    + entity.relationships().keySet());
          }
        }
        case accepted_values -> {
          if (!accepted.containsKey(name) && modelValues(name).isEmpty()) {
            throw fail(node, "accepted_values: no list for '" + name + "' under accepted_values");
          }
        }
        case freshness -> {
          if (type != ColumnType.TIMESTAMP && type != ColumnType.DATE) {
            throw fail(node, "freshness needs a date or timestamp column, " + name + " is " + type);
          }
        }
        case outliers_iqr, outliers_zscore -> {
          if (type != ColumnType.DECIMAL && type != ColumnType.INTEGER) {
            throw fail(node, kind + " needs a numeric column, " + name + " is " + type);
          }
        }
        default -> {}
      }
      return name;
    }

    private Duration window(Kind kind, ScalarNode node) {
      if (!kind.window) {
        if (node != null) {
          throw fail(node, "'window' is for freshness only");
        }
        return null;
      }
      if (node == null) {
        throw fail(null, kind + " needs a 'window', e.g. 48h or 3d");
      }
      Matcher m = WINDOW.matcher(node.getValue().strip());
      if (!m.matches()) {
        throw fail(node, "window: '" + node.getValue() + "' is not hours or days, e.g. 48h or 3d");
      }
      long n = Long.parseLong(m.group(1));
      return m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
    }

    private Threshold threshold(Kind kind, ScalarNode node) {
      if (kind == Kind.freshness || kind == Kind.reconciliation || kind == Kind.scd2_intervals) {
        if (node != null) {
          throw fail(node, kind + " takes no threshold: any failure fails it");
        }
        return Threshold.NONE;
      }
      if (node == null) {
        if (kind == Kind.row_count_change || kind == Kind.quarantine_rate) {
          throw fail(null, kind + " needs a 'threshold' in percent, e.g. 50%");
        }
        return Threshold.NONE;
      }
      String s = node.getValue().strip();
      Matcher r = RATE.matcher(s);
      if (r.matches()) {
        double v = Double.parseDouble(r.group(1));
        if (v > 100 && kind != Kind.row_count_change) {
          throw fail(node, "threshold: " + s + " is more than 100%");
        }
        return new Threshold(v, true);
      }
      if (COUNT.matcher(s).matches()
          && kind != Kind.row_count_change
          && kind != Kind.quarantine_rate) {
        return new Threshold(Long.parseLong(s), false);
      }
      throw fail(
          node,
          "threshold: '"
              + s
              + "' is not "
              + (kind == Kind.row_count_change || kind == Kind.quarantine_rate
                  ? "a percentage (50%)"
                  : "a row count (10) or a percentage (2%)"));
    }

    private <E extends Enum<E>> E oneOf(Class<E> type, ScalarNode node, String key) {
      try {
        return Enum.valueOf(type, node.getValue().strip());
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
          names.add(c.name());
        }
        throw fail(
            node, key + ": '" + node.getValue() + "' is not one of " + String.join(", ", names));
      }
    }

    private MappingNode mapping(Node node, String what) {
      if (!(node instanceof MappingNode m)) {
        throw fail(node, what + ": expected 'key: value' lines");
      }
      return m;
    }

    private String scalar(Node node, String what) {
      if (!(node instanceof ScalarNode s)) {
        throw fail(node, "expected " + what + ", not a list or block");
      }
      return s.getValue();
    }

    private CheckFileException fail(Node node, String message) {
      return fail(node == null ? current : line(node.getStartMark()), message);
    }

    private CheckFileException fail(int line, String message) {
      return new CheckFileException(source, line, message);
    }

    private int current = 1;

    private int line(Mark m) {
      return m == null ? 1 : m.getLine() + 1;
    }

    private static List<String> sorted(Set<String> s) {
      return s.stream().sorted().toList();
    }
  }
}
