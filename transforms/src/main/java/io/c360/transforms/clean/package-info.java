/**
 * Cleaning and validation of landed rows (SPEC §2), driven by each entity's {@link
 * io.c360.transforms.model.EntitySpec}: {@link io.c360.transforms.clean.Values} cleans one value,
 * {@link io.c360.transforms.clean.RowCleaner} one row, {@link io.c360.transforms.clean.CleanRows} a
 * PCollection. Daily flow: ReadEntity → CleanRows → {@link io.c360.transforms.dedup.Dedup} → SCD2 /
 * facts; CleanRows.REJECTED goes to {@code dq.rejected_rows}.
 */
package io.c360.transforms.clean;
