package io.macvlandoctor.model;

/**
 * The pcapng format's numbers that our writer and our reader share (draft-ietf-opsawg-pcapng): block types, option
 * codes, limits. The role of each interface travels in its description (Role.description()).
 */
public final class Pcapng {
    public static final int SHB = 0x0A0D0D0A;
    public static final int IDB = 1;
    public static final int SPB = 3;
    public static final int EPB = 6;
    public static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    public static final int LINKTYPE_ETHERNET = 1;

    public static final int OPT_ENDOFOPT = 0;
    public static final int OPT_COMMENT = 1;
    public static final int SHB_USERAPPL = 4;
    public static final int IF_NAME = 2;
    public static final int IF_DESCRIPTION = 3;
    public static final int IF_TSRESOL = 9;
    public static final int EPB_FLAGS = 2;
    /** epb_flags bits 0-1: 1 inbound, 2 outbound. */
    public static final int FLAG_INBOUND = 1;
    public static final int FLAG_OUTBOUND = 2;

    /** An option's length is 16 bits. */
    public static final int MAX_OPTION = 0xffff;

    private Pcapng() {
    }
}
