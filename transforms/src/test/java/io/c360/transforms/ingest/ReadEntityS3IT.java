package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.DT;
import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.CUSTOMERS;
import static io.c360.transforms.model.Entities.PRODUCTS;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Reads a partition through {@code s3://} from s3proxy, a real S3 server started in-process on
 * 127.0.0.1 (path-style, signed requests), and compares it with the same files read locally.
 */
class ReadEntityS3IT implements Serializable {
  private static final String BUCKET = "landing";
  private static final String ACCESS = "c360-test-access";
  // The loopback S3 server's key for this run only, made up, never a literal.
  private static final String SECRET = "c360-" + UUID.randomUUID();

  private static transient BlobStoreContext context;
  private static transient S3Proxy proxy;

  @TempDir static transient Path local;

  @BeforeAll
  static void startS3() throws Exception {
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(50);
    }
    context.getBlobStore().createContainerInLocation(null, BUCKET);
    writeLocalPartition();
    upload();
  }

  @AfterAll
  static void stopS3() throws Exception {
    proxy.stop();
    context.close();
  }

  static C360S3Options options() {
    C360S3Options o =
        PipelineOptionsFactory.fromArgs(
                "--s3PathStyle=true",
                "--endpoint=http://127.0.0.1:" + proxy.getPort(),
                "--awsRegion=us-east-1")
            .as(C360S3Options.class);
    // Programmatic, as a CLI would build it from the environment: never on a command line.
    o.setAwsCredentialsProvider(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)));
    S3Setup.configure(o);
    return o;
  }

  static final List<String> EXPECTED = new ArrayList<>();

  /** part-0.csv, part-1.csv.gz, part-2.parquet and a _SUCCESS marker. */
  static void writeLocalPartition() throws Exception {
    List<String> header = SALES.columnNames();
    List<List<String>> day = IngestFixtures.salesDay(300, 21);
    Path dir = folder(local, SALES);
    Schema schema = IngestFixtures.stringSchema(header);
    List<GenericRecord> parquet = new ArrayList<>();
    IngestFixtures.Csv csv0 = new IngestFixtures.Csv(',', "\r\n", true, header);
    IngestFixtures.Csv csv1 = new IngestFixtures.Csv(',', "\n", false, header);
    for (int i = 0; i < day.size(); i++) {
      List<String> rec = day.get(i);
      if (i < 100) {
        csv0.record(rec);
        EXPECTED.add("part-0|" + ReadEntityCsvTest.expected(csv0.recordLines.get(i), header, rec));
      } else if (i < 200) {
        csv1.record(rec);
        long line = csv1.recordLines.get(i - 100);
        EXPECTED.add("part-1|" + ReadEntityCsvTest.expected(line, header, rec));
      } else {
        parquet.add(IngestFixtures.record(schema, rec));
        EXPECTED.add("part-2|" + ReadEntityCsvTest.expected(i - 200, header, rec));
      }
    }
    write(dir.resolve("part-0.csv"), csv0.bytes());
    write(dir.resolve("part-1.csv.gz"), IngestFixtures.gzip(csv1.bytes()));
    IngestFixtures.parquet(dir.resolve("part-2.parquet"), schema, parquet, 2048);
    write(dir.resolve("_SUCCESS"), new byte[0]);
    write(folder(local, PRODUCTS).resolve("_SUCCESS"), new byte[0]);
  }

  static void upload() throws Exception {
    BlobStore store = context.getBlobStore();
    try (Stream<Path> files = Files.walk(local)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = "prefix/" + local.relativize(f).toString().replace('\\', '/');
        if (key.contains("/.")) {
          continue; // checksum side files of the local writer
        }
        byte[] bytes = Files.readAllBytes(f);
        store.putBlob(
            BUCKET, store.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
      }
    }
  }

  @Test
  void readsAPartitionOfSeveralFilesThroughS3LikeTheLocalFolder() {
    Pipeline p = Pipeline.create(options());
    PCollectionTuple fromS3 =
        p.apply("ReadS3", ReadEntity.of(SALES).from("s3://" + BUCKET + "/prefix").forDate(DT));
    PCollectionTuple fromLocal = IngestTesting.read(p, "ReadLocal", local, SALES);
    PAssert.that(ReadEntityFormatsTest.stemLineContent(fromS3.get(ReadEntity.ROWS), "S3Lines"))
        .containsInAnyOrder(EXPECTED);
    PAssert.that(
            ReadEntityFormatsTest.stemLineContent(fromLocal.get(ReadEntity.ROWS), "LocalLines"))
        .containsInAnyOrder(EXPECTED);
    PAssert.that(fromS3.get(ReadEntity.ROWS))
        .satisfies(rows -> startsWith(rows, "s3://" + BUCKET + "/prefix/sales/dt=2026-03-14/"));
    PAssert.that(fromS3.get(ReadEntity.FAILURES)).empty();
    p.run().waitUntilFinish();
  }

  static Void startsWith(Iterable<org.apache.beam.sdk.values.Row> rows, String prefix) {
    for (org.apache.beam.sdk.values.Row r : rows) {
      assertThat(r.getString("source_file").startsWith(prefix), equalTo(true));
    }
    return null;
  }

  @Test
  void partitionStatesOnS3() {
    options();
    String root = "s3://" + BUCKET + "/prefix";
    Partition sales = ReadEntity.partition(root, SALES, DT);
    String folder = root + "/sales/dt=2026-03-14/";
    assertThat(
        sales.requireFiles(),
        contains(folder + "part-0.csv", folder + "part-1.csv.gz", folder + "part-2.parquet"));
    assertThat(sales.ignoredFiles(), contains(folder + "_SUCCESS"));
    assertThat(
        ReadEntity.partition(root, CUSTOMERS, DT).status(), equalTo(Partition.Status.ABSENT));
    Partition products = ReadEntity.partition(root, PRODUCTS, DT);
    assertThat(products.status(), equalTo(Partition.Status.EMPTY));
    IngestException e = assertThrows(IngestException.class, products::requireFiles);
    assertThat(e.getMessage(), containsString(root + "/products/dt=2026-03-14/"));
  }

  @Test
  void aMissingRootOrDateOnS3IsAnErrorNamingEveryFolderLookedAt() {
    options();
    for (String root :
        List.of("s3://" + BUCKET + "/no-such-prefix", "s3://" + BUCKET + "/prefix")) {
      LocalDate dt = root.endsWith("/prefix") ? DT.plusDays(1) : DT;
      IngestException e =
          assertThrows(IngestException.class, () -> Partition.ofDate(root, Entities.ALL, dt));
      assertThat(e.getMessage(), containsString("no entity has a folder for dt=" + dt));
      for (EntitySpec entity : Entities.ALL) {
        assertThat(e.getMessage(), containsString(root + "/" + entity.name() + "/dt=" + dt + "/"));
      }
    }
  }
}
