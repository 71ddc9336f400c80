/**
 * Small helpers every other package may use and that use none of them: argument checks ({@link
 * io.c360.transforms.common.Args}) and step names ({@link io.c360.transforms.common.Names}).
 */
package io.c360.transforms.common;
