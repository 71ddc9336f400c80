/**
 * The fact load: the run's staged facts, plus rows still waiting in {@code dq.pending_rows}, keyed
 * to the dimension versions valid at their time ({@link
 * io.c360.transforms.scd2.DimensionSpec#versionAt}) and upserted on their natural key, or kept
 * pending under {@code relationships:<column>}. {@link io.c360.transforms.facts.LoadFacts} is the
 * transform; {@link io.c360.transforms.facts.FactSpec} declares each fact from its entity.
 */
package io.c360.transforms.facts;
