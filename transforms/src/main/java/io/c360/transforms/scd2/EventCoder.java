package io.c360.transforms.scd2;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A compact, deterministic coder for {@link Event}s: the merge shuffles every event twice, and Java
 * serialization was most of its cost. Values are tagged null, text, decimal or date. The encoding
 * lives only between pipeline steps of one run: nothing stores it.
 */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();

  public static EventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Event e, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeLong(e.validFrom().getEpochSecond());
    out.writeInt(e.validFrom().getNano());
    out.writeBoolean(e.isDelete());
    out.writeBoolean(e.tracked() != null);
    if (e.tracked() != null) {
      writeString(out, e.hash());
      writeValues(out, e.tracked());
    }
    writeValues(out, e.type1());
    writeString(out, e.sourceFile());
    out.writeLong(e.lineNo());
    out.flush();
  }

  @Override
  public Event decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    Instant validFrom = Instant.ofEpochSecond(in.readLong(), in.readInt());
    boolean delete = in.readBoolean();
    String hash = null;
    List<Object> tracked = null;
    if (in.readBoolean()) {
      hash = readString(in);
      tracked = readValues(in);
    }
    List<Object> type1 = readValues(in);
    return new Event(validFrom, tracked, hash, type1, delete, readString(in), in.readLong());
  }

  @Override
  public void verifyDeterministic() {}

  private static void writeValues(DataOutputStream out, List<Object> values) throws IOException {
    out.writeInt(values.size());
    for (Object v : values) {
      if (v == null) {
        out.writeByte(0);
      } else if (v instanceof String) {
        out.writeByte(1);
        writeString(out, (String) v);
      } else if (v instanceof BigDecimal) {
        out.writeByte(2);
        writeString(out, ((BigDecimal) v).toString());
      } else if (v instanceof LocalDate) {
        out.writeByte(3);
        out.writeLong(((LocalDate) v).toEpochDay());
      } else {
        throw new IOException("cannot encode a " + v.getClass().getName() + " in an SCD2 event");
      }
    }
  }

  private static List<Object> readValues(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<Object> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte tag = in.readByte();
      switch (tag) {
        case 0:
          values.add(null);
          break;
        case 1:
          values.add(readString(in));
          break;
        case 2:
          values.add(new BigDecimal(readString(in)));
          break;
        case 3:
          values.add(LocalDate.ofEpochDay(in.readLong()));
          break;
        default:
          throw new IOException("corrupt SCD2 event: value tag " + tag);
      }
    }
    return values;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
