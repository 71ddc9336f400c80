package io.c360.pipelines.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real standalone Flink 1.19 session cluster for tests: a JobManager and one or more
 * TaskManagers, each a separate JVM bound to 127.0.0.1 on free ports, started and stopped with
 * {@code deploy/flink/cluster.sh} (so the test proves the script users run). The cluster classpath
 * is resolved by Maven from {@code deploy/flink/pom.xml} once and cached under {@code
 * target/flink-cluster/}.
 *
 * <pre>{@code
 * @RegisterExtension static final FlinkCluster FLINK = new FlinkCluster(); // 1 TaskManager, 2 slots
 * @RegisterExtension static final FlinkCluster SCALED = new FlinkCluster(1, 2); // 2 TaskManagers
 * ... "--flinkMaster=" + FLINK.restAddress() ... FLINK.rest("/taskmanagers") ...
 * }</pre>
 *
 * The processes are stopped after the test class, and by a shutdown hook if the JVM exits first.
 */
public final class FlinkCluster implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int slots;
  private final int taskManagers;
  private Path dir;
  private int restPort;
  private Thread shutdownHook;

  public FlinkCluster() {
    this(2);
  }

  public FlinkCluster(int slots) {
    this(slots, 1);
  }

  /** {@code taskManagers} TaskManager JVMs with {@code slotsPerTaskManager} slots each. */
  public FlinkCluster(int slotsPerTaskManager, int taskManagers) {
    if (slotsPerTaskManager < 1 || taskManagers < 1) {
      throw new IllegalArgumentException(
          "slots and TaskManagers must be positive: " + slotsPerTaskManager + ", " + taskManagers);
    }
    this.slots = slotsPerTaskManager;
    this.taskManagers = taskManagers;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Starts the cluster and waits until every TaskManager is registered with its slots free. */
  public synchronized void start() throws IOException, InterruptedException {
    if (dir != null) {
      throw new IllegalStateException("already started: " + dir);
    }
    Path base = Path.of("target", "flink-cluster").toAbsolutePath();
    Files.createDirectories(base);
    Path clusterDir = base.resolve(ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    int rest = freePort();
    int rpc = freePort();
    // The classpath cache is shared by every cluster of the build; cluster.sh refreshes it when
    // deploy/flink/pom.xml changes.
    Path cache = base.resolve("classpath.txt");
    Files.createDirectories(clusterDir);
    if (Files.exists(cache)) {
      Files.copy(cache, clusterDir.resolve("classpath.txt"));
    }
    shutdownHook = new Thread(() -> kill(clusterDir));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    dir = clusterDir;
    restPort = rest;
    script(
        START_TIMEOUT,
        "start",
        "--port",
        Integer.toString(rest),
        "--rpc-port",
        Integer.toString(rpc),
        "--slots",
        Integer.toString(slots),
        "--taskmanagers",
        Integer.toString(taskManagers),
        "--timeout",
        Long.toString(START_TIMEOUT.toSeconds() - 10));
    if (!Files.exists(cache)) {
      Files.copy(clusterDir.resolve("classpath.txt"), cache);
    }
  }

  /** Stops every JVM of the cluster. */
  public synchronized void stop() throws IOException, InterruptedException {
    if (dir == null) {
      return;
    }
    try {
      script(Duration.ofMinutes(1), "stop");
    } finally {
      kill(dir);
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
      dir = null;
    }
  }

  /** What {@code --flinkMaster} takes: {@code localhost:PORT}. */
  public String restAddress() {
    if (dir == null) {
      throw new IllegalStateException("cluster not started");
    }
    return "localhost:" + restPort;
  }

  public int restPort() {
    return restPort;
  }

  public int taskManagers() {
    return taskManagers;
  }

  public int slotsPerTaskManager() {
    return slots;
  }

  /** GET {@code path} (e.g. {@code /overview}) from the cluster's REST API, as JSON. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://" + restAddress() + path);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Config, logs, pid files and Flink's temporary directories of this cluster. */
  public Path directory() {
    return dir;
  }

  /** {@code deploy/flink/cluster.sh} of this checkout; overridable with -Dc360.flink.script. */
  public static Path script() {
    return Path.of(System.getProperty("c360.flink.script", "../deploy/flink/cluster.sh"))
        .toAbsolutePath()
        .normalize();
  }

  private void script(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--dir", dir.toString()));
    Path out = dir.resolve("cluster-sh-" + args[0] + ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("cluster.sh " + args[0] + " timed out; see " + out);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "cluster.sh " + args[0] + " failed (" + p.exitValue() + "): " + Files.readString(out));
    }
  }

  /** Kills whatever the pid files name, TaskManagers first; the shutdown hook's last resort. */
  private static void kill(Path clusterDir) {
    List<Path> pidFiles = new ArrayList<>();
    try (Stream<Path> files = Files.list(clusterDir)) {
      files
          .filter(f -> f.getFileName().toString().matches("taskmanager.*\\.pid"))
          .sorted()
          .forEach(pidFiles::add);
    } catch (IOException e) {
      // best effort while shutting down
    }
    pidFiles.add(clusterDir.resolve("jobmanager.pid"));
    for (Path pidFile : pidFiles) {
      try {
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).trim());
          ProcessHandle.of(pid)
              .ifPresent(
                  h -> {
                    h.destroy();
                    try {
                      h.onExit().get(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      h.destroyForcibly();
                    }
                  });
          Files.deleteIfExists(pidFile);
        }
      } catch (IOException | NumberFormatException e) {
        // best effort while shutting down
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
