package com.sun.jna;

import java.util.List;

/**
 * Gives JNA the field order of its own FFIType structure before JNA first reads it. JNA reads it from the class's
 * {@code @FieldOrder} annotation, and reading an annotation makes the JDK generate a proxy class for the annotation's
 * type at run time, out of reach of the start-up archive: 8-10 ms of loading JNA, which every probing run waits for
 * before it can enter a namespace. Here, in JNA's package, because the cache and FFIType are JNA's package-private
 * parts; FieldOrderPresetTest holds the order to the annotation's.
 */
public final class FieldOrderPreset {
    static final List<String> FFI_TYPE = List.of("size", "alignment", "type", "elements");

    private FieldOrderPreset() {
    }

    /** Before JNA's first structure; a cache that already has the order keeps it. */
    public static void apply() {
        Structure.cacheStructureLock.writeLock().lock();
        try {
            Structure.fieldOrder.putIfAbsent(Structure.FFIType.class, FFI_TYPE);
        } finally {
            Structure.cacheStructureLock.writeLock().unlock();
        }
    }
}
