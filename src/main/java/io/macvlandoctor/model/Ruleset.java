package io.macvlandoctor.model;

/**
 * A namespace's netfilter rules as its tools print them, kept raw so that facts files carry them whole.
 *
 * @param side whose namespace
 * @param tool "iptables", "ip6tables" (the text is `-save -c` output) or "nft" (json: `nft -j list ruleset`,
 *     text: `nft -a list ruleset`)
 */
public record Ruleset(Side side, String tool, String json, String text) {
}
