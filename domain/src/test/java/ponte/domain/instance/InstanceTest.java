package ponte.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ponte.domain.validation.ValidationException;

class InstanceTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final LinkedAccount PHONE = new LinkedAccount("5511999999999", "12345@lid", "Shop", "chrome");

    private static Instance fresh() {
        return Instance.create(UUID.randomUUID(), UUID.randomUUID(), new InstanceName("shop"), Map.of(), T0)
                .instance();
    }

    @Test
    void aNewInstanceIsPendingAndSaysItWasCreated() {
        var change = Instance.create(UUID.randomUUID(), UUID.randomUUID(), new InstanceName("shop"),
                Map.of("team", "a"), T0);
        assertThat(change.instance().status()).isEqualTo(InstanceStatus.PENDING);
        assertThat(change.instance().hasPaired()).isFalse();
        assertThat(change.event()).isInstanceOf(InstanceEvent.Created.class);
        assertThat(change.event().at()).isEqualTo(T0);
    }

    @Test
    void pairingByQrThenConnectingLinksTheAccount() {
        var qr = fresh().showQr(T1);
        var connecting = qr.instance().startConnecting(T1);
        var connected = connecting.instance().markConnected(PHONE, T1);
        assertThat(connected.instance().status()).isEqualTo(InstanceStatus.CONNECTED);
        assertThat(connected.instance().account()).isEqualTo(PHONE);
        assertThat(connected.instance().lastSeenAt()).isEqualTo(T1);
        assertThat(connected.event()).isEqualTo(new InstanceEvent.StatusChanged(qr.instance().id(),
                InstanceStatus.CONNECTING, InstanceStatus.CONNECTED, null, T1));
    }

    @Test
    void aQrReportMovesToQrOnceThenOnlyRotatesAndIsStaleOnceConnected() {
        var first = fresh().reportQr("2@one", T1.plusSeconds(60), T1);
        assertThat(first.instance().status()).isEqualTo(InstanceStatus.QR);
        assertThat(first.events()).hasSize(2).first().isInstanceOf(InstanceEvent.StatusChanged.class);
        assertThat(first.events().get(1)).isInstanceOf(InstanceEvent.QrRotated.class);
        var second = first.instance().reportQr("2@two", T1.plusSeconds(80), T1);
        assertThat(second.events()).singleElement().isInstanceOf(InstanceEvent.QrRotated.class);

        var connected = second.instance().reportConnected(PHONE, T1).instance();
        var late = connected.reportQr("2@late", T1.plusSeconds(20), T1);
        assertThat(late.changed()).isFalse();
        assertThat(late.instance()).isSameAs(connected);
    }

    @Test
    void connectedIsAlwaysReachedThroughConnecting() {
        var fromQr = fresh().showQr(T0).instance().reportConnected(PHONE, T1);
        assertThat(fromQr.events()).extracting(e -> ((InstanceEvent.StatusChanged) e).to())
                .containsExactly(InstanceStatus.CONNECTING, InstanceStatus.CONNECTED);
        var fromConnecting = fresh().startConnecting(T0).instance().reportConnected(PHONE, T1);
        assertThat(fromConnecting.events()).singleElement();
        assertThat(fromConnecting.instance().account()).isEqualTo(PHONE);
    }

    @Test
    void aRepeatedOrRefusedReportChangesNothing() {
        var down = fresh().reportDisconnected(DisconnectReason.NETWORK, T1).instance();
        assertThat(down.reportDisconnected(DisconnectReason.NETWORK, T1).changed()).isFalse();
        assertThat(down.reportDisconnected(DisconnectReason.GATEWAY_STOPPED, T1).changed())
                .as("disconnected cannot move onto itself with another reason").isFalse();
        assertThat(fresh().reportConnecting(T1).instance().reportConnecting(T1).changed()).isFalse();
        assertThat(fresh().reportFailed(T1).instance().reportFailed(T1).changed()).isFalse();
    }

    @Test
    void aPendingInstanceCannotJumpToConnected() {
        assertThatThrownBy(() -> fresh().markConnected(PHONE, T1))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("pending").hasMessageContaining("connected");
    }

    @Test
    void onlyADisconnectedInstanceCarriesAReason() {
        var connected = fresh().startConnecting(T1).instance().markConnected(PHONE, T1).instance();
        var dropped = connected.markDisconnected(DisconnectReason.NETWORK, T1);
        assertThat(dropped.instance().statusReason()).isEqualTo(DisconnectReason.NETWORK);
        assertThat(((InstanceEvent.StatusChanged) dropped.event()).reason()).isEqualTo(DisconnectReason.NETWORK);
        var back = dropped.instance().startConnecting(T1).instance();
        assertThat(back.statusReason()).isNull();
    }

    @Test
    void loggingOutForgetsTheLinkedAccountButOtherDropsKeepIt() {
        var connected = fresh().startConnecting(T1).instance().markConnected(PHONE, T1).instance();
        assertThat(connected.markDisconnected(DisconnectReason.LOGGED_OUT, T1).instance().hasPaired()).isFalse();
        assertThat(connected.markDisconnected(DisconnectReason.PROXY_ERROR, T1).instance().account()).isEqualTo(PHONE);
    }

    @Test
    void runningOutOfQrCodesRestsDisconnectedAndIsNotRetried() {
        var expired = fresh().showQr(T0).instance().markDisconnected(DisconnectReason.QR_TIMEOUT, T1);
        assertThat(expired.instance().status()).isEqualTo(InstanceStatus.DISCONNECTED);
        assertThat(expired.instance().statusReason().wireName()).isEqualTo("qr_timeout");
        assertThat(DisconnectReason.QR_TIMEOUT.stopsAutomaticReconnect()).isTrue();
        assertThat(DisconnectReason.GATEWAY_STOPPED.stopsAutomaticReconnect()).isFalse();
    }

    @Test
    void aQrRotationIsAnEventOnlyWhileShowingAQr() {
        var showing = fresh().showQr(T0).instance();
        var rotated = showing.rotateQr("2@abc", T1.plusSeconds(20), T1);
        assertThat(rotated.qr()).isEqualTo("2@abc");
        assertThatThrownBy(() -> fresh().rotateQr("2@abc", T1, T1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReasonsThatStopAutomaticReconnectsAreTheOnesARetryCannotFix() {
        assertThat(DisconnectReason.NETWORK.stopsAutomaticReconnect()).isFalse();
        assertThat(DisconnectReason.PROXY_ERROR.stopsAutomaticReconnect()).isFalse();
        assertThat(DisconnectReason.OUTDATED.stopsAutomaticReconnect()).isTrue();
        assertThat(DisconnectReason.LOGGED_OUT.stopsAutomaticReconnect()).isTrue();
        assertThat(DisconnectReason.BANNED.stopsAutomaticReconnect()).isTrue();
    }

    @Test
    void everyStatusCanLeaveItselfAndNoneLoopsOntoItself() {
        for (var status : InstanceStatus.values()) {
            assertThat(status.next()).isNotEmpty().doesNotContain(status);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "dot.ted", "ümlaut", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "0f2837aa-1b2c-4d5e-8f90-123456789abc", "0F2837AA-1B2C-4D5E-8F90-123456789ABC"})
    void badNamesAreRefused(String name) {
        assertThatThrownBy(() -> new InstanceName(name)).isInstanceOf(ValidationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "sales-1", "SUPPORT_team", "0123456789012345678901234567890123456789012345678901234567890123",
            "0f2837aa-1b2c-4d5e-8f90-123456789ab", "0f2837aa1b2c4d5e8f90123456789abc"})
    void goodNamesAreAccepted(String name) {
        assertThat(new InstanceName(name).value()).isEqualTo(name);
    }
}
