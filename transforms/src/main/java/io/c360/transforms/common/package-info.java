/**
 * Small helpers every other package may use and that use none of them: argument checks ({@link
 * io.c360.transforms.common.Args}), step names ({@link io.c360.transforms.common.Names}) and a
 * local Parquet output file ({@link io.c360.transforms.common.LocalOutputFile}).
 */
package io.c360.transforms.common;
