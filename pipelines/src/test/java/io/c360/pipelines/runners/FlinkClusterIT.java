package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.c360.pipelines.testing.FlinkCluster;
import io.c360.pipelines.testing.RunnerOptions;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone Flink 1.19 session cluster (JobManager and TaskManager as separate JVMs, started by
 * deploy/flink/cluster.sh) runs two consecutive days with {@code --flinkMaster=localhost:PORT
 * --parallelism=2}, and every dw, mart and dq table equals the same days on the Direct runner.
 */
class FlinkClusterIT implements Serializable {
  @RegisterExtension static final FlinkCluster FLINK = new FlinkCluster();
  @RegisterExtension static final TestDatabase FLINK_DB = new TestDatabase();
  @RegisterExtension static final TestDatabase DIRECT_DB = new TestDatabase();

  @Test
  void twoDaysOnTheSessionClusterEqualTheDirectRunner(@TempDir Path landing) throws Exception {
    String master = FLINK.restAddress();
    RunnerEquivalence.assertSameAsDirect(
        "FlinkRunner[session]",
        () -> RunnerOptions.flinkCluster(master, 2),
        landing,
        FLINK_DB,
        DIRECT_DB);

    // The two days really ran on the cluster, not in an embedded one.
    String overview = get("/jobs/overview");
    assertThat(count(overview, "\"state\":\"FINISHED\""), equalTo(2));
    assertThat(get("/taskmanagers"), containsString("\"slotsNumber\":2"));
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + FLINK.restPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(path, r.statusCode(), equalTo(200));
    return r.body();
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
