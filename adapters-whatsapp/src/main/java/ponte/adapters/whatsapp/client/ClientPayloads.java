package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.proto.Wire.ClientPayload;
import ponte.adapters.whatsapp.proto.Wire.DeviceProps;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * The ClientPayload sealed into the last handshake message: a registration for a new device, a login for a
 * paired one. Field values follow whatsmeow store/clientpayload.go and Baileys Utils/validate-connection.ts.
 */
public final class ClientPayloads {

    private ClientPayloads() {
    }

    public static ClientPayload registration(DeviceCredentials keys, WaVersion version, String osName) {
        DeviceProps props = DeviceProps.newBuilder()
                .setOs(osName)
                .setVersion(DeviceProps.AppVersion.newBuilder().setPrimary(0).setSecondary(1).setTertiary(0))
                .setPlatformType(DeviceProps.PlatformType.CHROME)
                .setRequireFullSync(false)
                .build();
        var pairing = ClientPayload.DevicePairingRegistrationData.newBuilder()
                .setERegid(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(keys.registrationId()).array()))
                .setEKeytype(ByteString.copyFrom(new byte[] {5}))
                .setEIdent(ByteString.copyFrom(keys.identityKey().publicKey()))
                .setESkeyId(ByteString.copyFrom(threeBytes(keys.signedPreKey().id())))
                .setESkeyVal(ByteString.copyFrom(keys.signedPreKey().keyPair().publicKey()))
                .setESkeySig(ByteString.copyFrom(keys.signedPreKey().signature()))
                .setBuildHash(ByteString.copyFrom(version.buildHash()))
                .setDeviceProps(props.toByteString());
        return base(version).setPassive(false).setPull(false).setDevicePairingData(pairing).build();
    }

    public static ClientPayload login(Jid device, WaVersion version) {
        return base(version)
                .setUsername(Long.parseUnsignedLong(device.user()))
                .setDevice(device.device())
                .setPassive(true)
                .setPull(true)
                .setLidDbMigrated(true)
                .setLc(1)
                .build();
    }

    private static ClientPayload.Builder base(WaVersion version) {
        return ClientPayload.newBuilder()
                .setUserAgent(ClientPayload.UserAgent.newBuilder()
                        .setPlatform(ClientPayload.UserAgent.Platform.WEB)
                        .setReleaseChannel(ClientPayload.UserAgent.ReleaseChannel.RELEASE)
                        .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
                                .setPrimary(version.primary())
                                .setSecondary(version.secondary())
                                .setTertiary((int) version.tertiary()))
                        .setMcc("000")
                        .setMnc("000")
                        .setOsVersion("0.1")
                        .setManufacturer("")
                        .setDevice("Desktop")
                        .setOsBuildNumber("0.1")
                        .setLocaleLanguageIso6391("en")
                        .setLocaleCountryIso31661Alpha2("US"))
                .setWebInfo(ClientPayload.WebInfo.newBuilder()
                        .setWebSubPlatform(ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER))
                .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
                .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED);
    }

    private static byte[] threeBytes(int value) {
        return new byte[] {(byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
