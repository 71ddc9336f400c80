package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's console, as a user sees it: the packaged c360-direct.jar (its own logging
 * configuration, a fresh JVM, so once-per-JVM warnings show) runs {@code demo}, and every WARN line
 * it prints is one the user can act on. Runs after {@code package}, so this build's jar exists.
 */
class DemoConsoleIT {
  /**
   * The WARN lines a user can act on, and why. Unknown columns: the file's producer sends a column
   * c360 ignores (rename it, drop it, or accept it); the summary repeats it per entity.
   */
  static final List<Pattern> ACTIONABLE =
      List.of(Pattern.compile("WARN Plan(Csv|Parquet)Fn - \\S+: unknown columns \\[.*\\] ignored"));

  @TempDir Path tmp;

  @Test
  void theDemoPrintsNoWarningAUserCannotActOn() throws Exception {
    Path jar = Path.of("target/c360-direct.jar").toAbsolutePath();
    assertThat("run after package: " + jar, Files.exists(jar), is(true));
    Path console = tmp.resolve("console.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "demo",
                "--days=2",
                "--scale=0.002",
                "--landing=" + tmp.resolve("landing"),
                "--dataDir=" + tmp.resolve("pg"),
                "--pgPort=" + freePort())
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("demo still running after 10 minutes:\n" + read(console));
    }
    String out = read(console);
    System.out.println(out);
    assertThat(out, p.exitValue(), is(0));
    List<String> unexpected =
        out.lines()
            .filter(l -> l.contains("WARN"))
            .filter(l -> ACTIONABLE.stream().noneMatch(a -> a.matcher(l).matches()))
            .toList();
    assertThat(unexpected, is(empty()));
    // the generator's extra column reaches the summary, not only the log
    assertThat(out, containsString("notices:\n  "));
    assertThat(out, containsString(": unknown columns [ingest_batch] ignored in "));
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
