package io.c360.transforms.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.in;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The byte scanner finds exactly the record starts commons-csv sees, with their line numbers. */
class CsvSplitterTest {
  private static final List<String> HEADER = List.of("a", "b", "c");

  @Provide
  Arbitrary<List<List<String>>> records() {
    Arbitrary<String> value =
        Arbitraries.strings().withChars("ab,;\"\n\r é東").ofMinLength(0).ofMaxLength(8);
    return value.list().ofSize(3).list().ofMinSize(0).ofMaxSize(40);
  }

  private static IngestFixtures.Csv csv(List<List<String>> records, char delim, boolean crlf) {
    IngestFixtures.Csv csv = new IngestFixtures.Csv(delim, crlf ? "\r\n" : "\n", crlf, HEADER);
    records.forEach(csv::record);
    return csv;
  }

  private static List<CsvSplitter.Boundary> expected(IngestFixtures.Csv csv) {
    List<CsvSplitter.Boundary> out = new ArrayList<>();
    for (int i = 0; i < csv.recordOffsets.size(); i++) {
      out.add(new CsvSplitter.Boundary(csv.recordOffsets.get(i), csv.recordLines.get(i)));
    }
    return out;
  }

  @Property(tries = 300)
  void withOneByteSplitsEveryRecordStartIsABoundaryWithItsLine(
      @ForAll("records") List<List<String>> records,
      @ForAll boolean crlf,
      @ForAll boolean semicolon)
      throws Exception {
    char delim = semicolon ? ';' : ',';
    IngestFixtures.Csv csv = csv(records, delim, crlf);
    List<CsvSplitter.Boundary> found =
        CsvSplitter.boundaries(new ByteArrayInputStream(csv.bytes()), delim, 1);
    assertThat(found, equalTo(expected(csv)));
  }

  @Property(tries = 200)
  void largerSplitsPickRecordStartsAtLeastSplitBytesApart(
      @ForAll("records") List<List<String>> records, @ForAll @IntRange(min = 2, max = 60) int size)
      throws Exception {
    IngestFixtures.Csv csv = csv(records, ',', false);
    List<CsvSplitter.Boundary> found =
        CsvSplitter.boundaries(new ByteArrayInputStream(csv.bytes()), ',', size);
    assertThat(found, everyItem(in(expected(csv))));
    long previous = 0;
    for (CsvSplitter.Boundary b : found) {
      assertThat(b.offset() - previous, greaterThanOrEqualTo((long) size));
      previous = b.offset();
    }
  }
}
