/**
 * Deduplication of the clean rows of one run (SPEC §2): exact duplicates, then one row per version
 * key, chosen by (source_file, line_no) only. See {@link io.c360.transforms.dedup.Dedup}.
 */
package io.c360.transforms.dedup;
