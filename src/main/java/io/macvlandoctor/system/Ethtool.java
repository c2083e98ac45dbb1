package io.macvlandoctor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/** ethtool's ETHTOOL_GDRVINFO: a device's driver name, in the calling thread's namespace. */
final class Ethtool {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GDRVINFO = 3;
    /** struct ethtool_drvinfo: cmd, then driver[32], version[32], fw_version[32], bus_info[32], ... */
    private static final int DRVINFO_SIZE = 196;
    /** struct ifreq: the name (IFNAMSIZ), then the union whose first member here is a pointer. */
    private static final int IFREQ_SIZE = 40;

    private Ethtool() {
    }

    /** The driver's name ("vmxnet3", "veth"); null when the device has none or the kernel refuses to say. */
    static String driver(String dev) {
        int fd;
        try {
            fd = LibC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return null;
        }
        try {
            Memory info = new Memory(DRVINFO_SIZE);
            info.clear();
            info.setInt(0, ETHTOOL_GDRVINFO);
            Memory req = new Memory(IFREQ_SIZE);
            req.clear();
            byte[] name = dev.getBytes(StandardCharsets.UTF_8);
            req.write(0, name, 0, Math.min(name.length, 15));
            req.setPointer(16, info);
            LibC.ioctl(fd, SIOCETHTOOL, req);
            String driver = info.getString(4, "UTF-8");
            return driver.isEmpty() ? null : driver;
        } catch (LastErrorException e) {
            return null;
        } finally {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // A socket of ours.
            }
        }
    }
}
