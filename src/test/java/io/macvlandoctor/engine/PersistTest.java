package io.macvlandoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.analysis.PersistFormats.Format;
import io.macvlandoctor.model.change.DirCreate;
import io.macvlandoctor.model.change.FileWrite;
import io.macvlandoctor.model.change.SymlinkCreate;
import io.macvlandoctor.model.Cidr;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where --persist writes, and which manager it detects, under a root of the test's own. */
class PersistTest {
    @TempDir
    Path root;

    static Target target() {
        Link parent = new Link(2, "ens33", "aa:b3:a1:9d:49:bc", true, "UP", "veth", null, 0, -1,
                List.of(Cidr.parse("192.168.136.130/24")));
        return new Target(Netns.CURRENT, parent, null, "macvlan0-host", null, null,
                Map.of(io.macvlandoctor.model.Family.V4, IpAddress.parse("192.168.136.240")), null, null, null, null,
                null);
    }

    void write(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void detectsTheManagerThatConfiguresTheParent() throws IOException {
        assertThat(Persist.detect(root, "ens33")[0]).isEqualTo("unit");
        write("etc/network/interfaces", "auto lo\niface lo inet loopback\n\nallow-hotplug ens33\niface ens33 inet dhcp\n");
        assertThat(Persist.detect(root, "ens33")[0]).isEqualTo("ifupdown");
        assertThat(Persist.detect(root, "ens3")[0]).as("a prefix is another interface").isEqualTo("unit");
        write("usr/lib/systemd/network/99-default.network", "[Match]\nName=en*\n\n[Network]\nDHCP=yes\n");
        assertThat(Persist.detect(root, "ens33")[0]).isEqualTo("networkd");
        assertThat(Persist.parentNetworkFile(root, "ens33")).isEqualTo("99-default.network");
        // An earlier name wins, and /etc hides the same name elsewhere.
        write("etc/systemd/network/10-lan.network", "[Match]\nName=eth0 ens33\n");
        write("usr/lib/systemd/network/10-lan.network", "[Match]\nName=nothing\n");
        assertThat(Persist.parentNetworkFile(root, "ens33")).isEqualTo("10-lan.network");
        write("etc/NetworkManager/system-connections/lan.nmconnection", "[connection]\nid=lan\ntype=ethernet\n"
                + "interface-name=ens33\n");
        assertThat(Persist.detect(root, "ens33")).containsExactly("nm", "a NetworkManager connection for ens33");
    }

    @Test
    void plansDirectoriesFilesAndTheFileItReplaces() throws IOException {
        write("etc/network/interfaces.d/macvlan0-host", "old stanza\n");
        Persist.Plan p = Persist.plan(target(), List.of(Cidr.parse("192.168.136.240/32")), null, "ifupdown", root);
        assertThat(p.format()).isEqualTo(Format.IFUPDOWN);
        assertThat(p.changes()).singleElement().isInstanceOfSatisfying(FileWrite.class, c -> {
            assertThat(c.summary()).startsWith("replace ");
            assertThat(c.path()).isEqualTo(root.resolve("etc/network/interfaces.d/macvlan0-host").toString());
            assertThat(c.previous()).isEqualTo("old stanza\n");
            assertThat(c.previousMode()).isEqualTo(0644);
        });
        Persist.Plan u = Persist.plan(target(), List.of(Cidr.parse("192.168.136.240/32")), null, null, root);
        assertThat(u.format()).isEqualTo(Format.UNIT);
        assertThat(u.why()).startsWith("detected: none of");
        // etc/ exists already: etc/systemd and etc/systemd/system are made, then the wants directory.
        assertThat(u.changes()).extracting(Object::getClass).containsExactly(DirCreate.class, DirCreate.class,
                FileWrite.class, DirCreate.class, SymlinkCreate.class);
        assertThat(((DirCreate) u.changes().get(0)).path()).isEqualTo(root.resolve("etc/systemd").toString());
        assertThatThrownBy(() -> Persist.plan(target(), List.of(), null, "networkd", root))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("no systemd-networkd .network file");
    }
}
