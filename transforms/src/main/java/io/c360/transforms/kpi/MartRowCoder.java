package io.c360.transforms.kpi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A compact, deterministic coder for {@link MartRow}: the mart's ordinal, as_of as an epoch day,
 * then each value with a one-byte type tag. Mart rows are the KPI stage's largest collection; Java
 * serialization of them cost time and gave no determinism.
 */
public final class MartRowCoder extends AtomicCoder<MartRow> {
  private static final MartRowCoder INSTANCE = new MartRowCoder();
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int LONG = 2;
  private static final int INT = 3;
  private static final int DECIMAL = 4;
  private static final int DATE = 5;
  private static final int INSTANT = 6;
  private static final int AMOUNTS = 7;

  public static MartRowCoder of() {
    return INSTANCE;
  }

  /** How {@code @DefaultCoder(MartRowCoder.class)} on {@link MartRow} finds this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(MartRow.class), INSTANCE);
  }

  private MartRowCoder() {}

  @Override
  public void encode(MartRow row, OutputStream out) throws IOException {
    VarIntCoder.of().encode(row.table().ordinal(), out);
    VarLongCoder.of().encode(row.asOf().toEpochDay(), out);
    for (Object v : row.values()) {
      encodeValue(v, out);
    }
  }

  @Override
  public MartRow decode(InputStream in) throws IOException {
    MartTable table = MartTable.values()[VarIntCoder.of().decode(in)];
    LocalDate asOf = LocalDate.ofEpochDay(VarLongCoder.of().decode(in));
    Object[] values = new Object[table.columns().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = decodeValue(in);
    }
    return MartRow.of(table, asOf, values);
  }

  private static void encodeValue(@Nullable Object v, OutputStream out) throws IOException {
    if (v == null) {
      out.write(NULL);
    } else if (v instanceof String s) {
      out.write(STRING);
      StringUtf8Coder.of().encode(s, out);
    } else if (v instanceof Long l) {
      out.write(LONG);
      VarLongCoder.of().encode(l, out);
    } else if (v instanceof Integer i) {
      out.write(INT);
      VarIntCoder.of().encode(i, out);
    } else if (v instanceof BigDecimal d) {
      out.write(DECIMAL);
      BigDecimalCoder.of().encode(d, out);
    } else if (v instanceof LocalDate d) {
      out.write(DATE);
      VarLongCoder.of().encode(d.toEpochDay(), out);
    } else if (v instanceof Instant t) {
      out.write(INSTANT);
      VarLongCoder.of().encode(t.getEpochSecond(), out);
      VarIntCoder.of().encode(t.getNano(), out);
    } else if (v instanceof Map<?, ?> m) {
      out.write(AMOUNTS); // in the map's order: customer_360's declared categories
      VarIntCoder.of().encode(m.size(), out);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        StringUtf8Coder.of().encode((String) e.getKey(), out);
        BigDecimalCoder.of().encode((BigDecimal) e.getValue(), out);
      }
    } else {
      throw new CoderException("unsupported mart value type: " + v.getClass());
    }
  }

  private static @Nullable Object decodeValue(InputStream in) throws IOException {
    int tag = in.read();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return StringUtf8Coder.of().decode(in);
      case LONG:
        return VarLongCoder.of().decode(in);
      case INT:
        return VarIntCoder.of().decode(in);
      case DECIMAL:
        return BigDecimalCoder.of().decode(in);
      case DATE:
        return LocalDate.ofEpochDay(VarLongCoder.of().decode(in));
      case INSTANT:
        return Instant.ofEpochSecond(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in));
      case AMOUNTS:
        int n = VarIntCoder.of().decode(in);
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          m.put(StringUtf8Coder.of().decode(in), BigDecimalCoder.of().decode(in));
        }
        return m;
      default:
        throw new CoderException("bad mart value tag " + tag);
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
