package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.time.LocalDate;

/**
 * The traffic grain of SPEC §4: traffic_revenue_by_period per customer and channel, from the KPI
 * state's traffic months.
 */
final class TrafficMarts {
  private TrafficMarts() {}

  static final class TrafficMapper extends KpiState.AsOfMapper<MartRow> {
    TrafficMapper(LocalDate asOf) {
      super(asOf);
    }

    @Override
    public MartRow mapRow(ResultSet rs) throws Exception {
      PeriodRevenue r = new PeriodRevenue(Periods.of(asOf));
      Array months = rs.getArray(3);
      if (months != null) {
        Object[] m = (Object[]) months.getArray();
        BigDecimal[] revenue = (BigDecimal[]) rs.getArray(4).getArray();
        for (int i = 0; i < m.length; i++) {
          r.add(((java.sql.Date) m[i]).toLocalDate(), revenue[i]);
        }
      }
      // traffic of month(D) after D
      r.add(Periods.of(asOf).monthStart(), rs.getBigDecimal(5).negate());
      return MartRow.of(
          MartTable.TRAFFIC_REVENUE_BY_PERIOD,
          asOf,
          rs.getString(1),
          rs.getString(2),
          r.mtd(),
          r.lastMonth(),
          r.lastQuarter(),
          r.quarterBefore(),
          r.ytd(),
          r.increasePctQoq());
    }
  }
}
