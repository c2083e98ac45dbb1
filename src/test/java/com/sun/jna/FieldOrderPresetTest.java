package com.sun.jna;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldOrderPresetTest {
    /** A JNA whose FFIType has other fields, or another order, fails here rather than in native memory. */
    @Test
    void theOrderGivenIsTheAnnotations() {
        assertThat(FieldOrderPreset.FFI_TYPE)
                .containsExactly(Structure.FFIType.class.getAnnotation(Structure.FieldOrder.class).value());
    }
}
