/**
 * Small helpers every other package may use and that use none of them: argument checks ({@link
 * io.c360.transforms.common.Args}), step names ({@link io.c360.transforms.common.Names}), a local
 * Parquet output file ({@link io.c360.transforms.common.LocalOutputFile}), and the counters a run
 * reads back from its pipeline ({@link io.c360.transforms.common.Counters}, {@link
 * io.c360.transforms.common.BusyTime}).
 */
package io.c360.transforms.common;
