package io.macvlandoctor.model;

/** The kernel's own choice for a destination (`ip -j route get`): the device and the source address. */
public record RouteLookup(String dst, String dev, String prefsrc, String gateway) {
}
