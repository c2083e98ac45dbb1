package io.macvlandoctor.model;

/**
 * A netfilter rule (or a chain's policy) that drops or rejects one of the probe's packets, as the user's own tool
 * prints it.
 *
 * @param side whose namespace it is in
 * @param tool "iptables", "ip6tables" or "nft"
 * @param table the table ("filter", or for nft "inet filter")
 * @param chain the chain ("INPUT", "input")
 * @param rule the rule as `iptables-save` or `nft -a list ruleset` prints it, or "policy drop"
 * @param position iptables: the rule's 1-based position in its chain; nft: its handle; 0 for a policy
 * @param family the family of the packet it drops
 * @param inbound whether it drops packets arriving (INPUT) rather than leaving (OUTPUT)
 * @param packet the probe's packet it drops, in words
 */
public record FirewallRule(Side side, String tool, String table, String chain, String rule, long position,
                           Family family, boolean inbound, String packet) {
    public boolean isPolicy() {
        return position == 0;
    }
}
