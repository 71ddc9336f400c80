package io.c360.transforms.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void snakeCaseBecomesUpperCamel() {
    assertThat(Names.upperCamel("sales"), equalTo("Sales"));
    assertThat(Names.upperCamel("dim_customer"), equalTo("DimCustomer"));
    assertThat(Names.upperCamel("fact_sales_2"), equalTo("FactSales2"));
  }

  @Test
  void emptyPartsAreSkipped() {
    assertThat(Names.upperCamel("a__b_"), equalTo("AB"));
    assertThat(Names.upperCamel(""), equalTo(""));
  }
}
