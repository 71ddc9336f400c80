/**
 * Grouping that behaves the same on every runner and stays cheap on the Direct runner. See {@link
 * io.c360.transforms.grouping.ShardedGroupByKey}.
 */
package io.c360.transforms.grouping;
