package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.DT;
import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.ingest.Partition.Status.ABSENT;
import static io.c360.transforms.model.Entities.CUSTOMERS;
import static io.c360.transforms.model.Entities.PRODUCTS;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §1: a missing folder is skipped and reported; a folder without files is an error. */
class PartitionTest {
  @TempDir Path root;

  @Test
  void absentFolderIsReportedAsAbsent() {
    Partition p = ReadEntity.partition(root.toString(), CUSTOMERS, DT);
    assertThat(p.status(), equalTo(Partition.Status.ABSENT));
    assertThat(p.folder(), equalTo(root.toAbsolutePath() + "/customers/dt=2026-03-14/"));
  }

  @Test
  void folderWithoutDataFilesIsAnErrorNamingTheFolder() throws Exception {
    write(folder(root, PRODUCTS).resolve("_SUCCESS"), new byte[0]);
    write(folder(root, PRODUCTS).resolve("readme.txt"), new byte[] {'x'});
    Partition p = ReadEntity.partition(root.toString(), PRODUCTS, DT);
    assertThat(p.status(), equalTo(Partition.Status.EMPTY));
    IngestException e = assertThrows(IngestException.class, p::requireFiles);
    assertThat(
        e.getMessage(), allOf(containsString(p.folder()), containsString("has no data files")));
  }

  @Test
  void emptyFolderIsAnErrorToo() throws Exception {
    folder(root, PRODUCTS);
    assertThat(
        ReadEntity.partition(root + "/", PRODUCTS, DT).status(), equalTo(Partition.Status.EMPTY));
  }

  @Test
  void listsDataFilesSortedAndIgnoresOthers() throws Exception {
    Path dir = folder(root, SALES);
    write(dir.resolve("b.parquet"), new byte[] {1});
    write(dir.resolve("a.csv.gz"), new byte[] {1});
    write(dir.resolve("c.csv"), new byte[] {1});
    write(dir.resolve("_SUCCESS"), new byte[0]);
    Partition p = ReadEntity.partition(root.toString(), SALES, DT);
    assertThat(p.status(), equalTo(Partition.Status.FILES));
    assertThat(
        p.requireFiles(),
        contains(
            dir.resolve("a.csv.gz").toString(),
            dir.resolve("b.parquet").toString(),
            dir.resolve("c.csv").toString()));
    assertThat(p.ignoredFiles(), contains(dir.resolve("_SUCCESS").toString()));
  }

  @Test
  void aDateWithSomeEntityFoldersSkipsTheOthers() throws Exception {
    write(folder(root, SALES).resolve("a.csv"), new byte[] {1});
    List<Partition> parts = Partition.ofDate(root.toString(), Entities.ALL, DT);
    assertThat(parts.stream().map(Partition::entity).toList(), equalTo(Entities.ALL));
    for (Partition p : parts) {
      assertThat(
          p.entity().name(),
          p.status(),
          equalTo(p.entity().equals(SALES) ? Partition.Status.FILES : ABSENT));
    }
  }

  @Test
  void aDateWithNoFolderForAnyEntityIsAnErrorNamingEveryFolderLookedAt() throws Exception {
    write(folder(root, SALES).resolve("a.csv"), new byte[] {1}); // another date's folder only
    LocalDate other = DT.plusDays(1);
    IngestException e =
        assertThrows(
            IngestException.class, () -> Partition.ofDate(root.toString(), Entities.ALL, other));
    assertThat(e.getMessage(), containsString("no entity has a folder for dt=" + other));
    for (EntitySpec entity : Entities.ALL) {
      assertThat(
          e.getMessage(),
          containsString(root.toAbsolutePath() + "/" + entity.name() + "/dt=" + other + "/"));
    }
  }

  @Test
  void aMissingInputRootIsAnErrorNamingIt() {
    Path missing = root.resolve("no-such-landing");
    IngestException e =
        assertThrows(
            IngestException.class, () -> Partition.ofDate(missing.toString(), Entities.ALL, DT));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("input root " + missing.toAbsolutePath() + " does not exist"),
            containsString(missing.toAbsolutePath() + "/customers/dt=" + DT + "/")));
  }
}
