package ponte.adapters.whatsapp.store;

/**
 * The account a device was linked to at pair-success: its device JID and LID, the primary's platform, the business
 * name (empty for personal accounts), the push name (empty until the account tells us), and the ADV signed device
 * identity, kept whole with the account signature key because later messages must carry it. The application's view
 * of the same link is {@code ponte.domain.instance.LinkedAccount}, which the engine builds from this record.
 */
public record DeviceAccount(String jid, String lid, String platform, String businessName, String pushName,
        byte[] signedIdentity) {

    public DeviceAccount {
        signedIdentity = signedIdentity.clone();
    }

    @Override
    public byte[] signedIdentity() {
        return signedIdentity.clone();
    }
}
