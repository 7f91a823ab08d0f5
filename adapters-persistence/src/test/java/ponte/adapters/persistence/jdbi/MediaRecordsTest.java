package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.MediaRecords.MediaRecord;
import ponte.application.port.out.MediaStore;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/** The media table (V9) on a real PostgreSQL. */
class MediaRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static PersistenceAdapter db;

    @BeforeAll
    static void open() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
    }

    @Test
    void aRowIsKeptPerInstanceAndMessageAndReplacedBySavingAgain() {
        var records = db.mediaRecords();
        var instance = instance();
        var other = instance();
        var local = new MediaRecord(instance, "3EB0A1", MediaStore.Kind.LOCAL, null, instance + "/2026/11/3EB0A1.jpg",
                "image/jpeg", 1234, "ab".repeat(32), Optional.of("photo.jpg"), NOW);
        records.save(local);
        assertThat(records.find(instance, "3EB0A1")).contains(local);
        assertThat(records.find(other, "3EB0A1")).isEmpty();

        var s3 = new MediaRecord(instance, "3EB0A1", MediaStore.Kind.S3, "bucket", "p/" + instance + "/x.png",
                "image/png", 99, "cd".repeat(32), Optional.empty(), NOW.plusSeconds(1));
        records.save(s3);
        assertThat(records.find(instance, "3EB0A1")).contains(s3);

        assertThat(records.delete(instance, "3EB0A1")).isTrue();
        assertThat(records.delete(instance, "3EB0A1")).isFalse();
        assertThat(records.find(instance, "3EB0A1")).isEmpty();
    }

    @Test
    void anS3RowNamesItsBucketAndALocalOneDoesNot() {
        var records = db.mediaRecords();
        var instance = instance();
        assertThatThrownBy(() -> records.save(new MediaRecord(instance, "3EB0A2", MediaStore.Kind.S3, null, "k",
                "image/png", 1, "ab".repeat(32), Optional.empty(), NOW))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aStagedMediaSendSurvivesTheQueuesJsonAsItWasQueued() {
        var json = new MessageJson(new com.fasterxml.jackson.databind.ObjectMapper());
        var staged = new ponte.application.port.out.MessagingPort.WireContent.StagedMedia(
                ponte.application.port.out.MediaTransferPort.MediaKind.IMAGE, "image/png", Optional.of("caption"),
                Optional.of("a.png"), java.util.OptionalInt.of(320), java.util.OptionalInt.of(200), false, false,
                Optional.of(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2}));
        var send = new ponte.application.port.out.OutgoingQueue.Send(staged, Optional.empty(), java.util.List.of(),
                java.util.List.of());

        var back = json.send(json.write(send)).content();

        assertThat(back).isInstanceOfSatisfying(
                ponte.application.port.out.MessagingPort.WireContent.StagedMedia.class, read -> {
                    assertThat(read.kind()).isEqualTo(staged.kind());
                    assertThat(read.mimeType()).isEqualTo("image/png");
                    assertThat(read.caption()).contains("caption");
                    assertThat(read.fileName()).contains("a.png");
                    assertThat(read.width()).hasValue(320);
                    assertThat(read.height()).hasValue(200);
                    assertThat(read.thumbnail()).get().isEqualTo(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
                });
    }

    @Test
    void aStagedAnimatedStickerStaysAnimatedAndARowQueuedBeforeTheFlagReadsAsStill() {
        var json = new MessageJson(new com.fasterxml.jackson.databind.ObjectMapper());
        var sticker = new ponte.application.port.out.MessagingPort.WireContent.StagedMedia(
                ponte.application.port.out.MediaTransferPort.MediaKind.STICKER, "image/webp", Optional.empty(),
                Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), false, false, true,
                Optional.empty(), java.util.OptionalInt.empty(), Optional.empty(), java.util.OptionalInt.empty());
        String row = json.write(new ponte.application.port.out.OutgoingQueue.Send(sticker, Optional.empty(),
                java.util.List.of(), java.util.List.of()));

        var back = (ponte.application.port.out.MessagingPort.WireContent.StagedMedia) json.send(row).content();
        assertThat(back.animated()).isTrue();
        assertThat(row).contains("\"animated\":true");
        var old = (ponte.application.port.out.MessagingPort.WireContent.StagedMedia) json.send(
                row.replace("\"animated\":true,", "")).content();
        assertThat(old.animated()).isFalse();
        assertThat(old.kind()).isEqualTo(ponte.application.port.out.MediaTransferPort.MediaKind.STICKER);
    }

    @Test
    void retentionFindsOldFilesButNotThoseOfQueuedSendsAndAnInstanceListsItsOwn() {
        var records = db.mediaRecords();
        var instance = instance();
        var before = NOW.plusSeconds(3600 * 24 * 365 * 5L); // after every other test's rows
        for (var id : java.util.List.of("OLD1", "QUEUED", "NEW1")) {
            records.save(new MediaRecord(instance, id, MediaStore.Kind.LOCAL, null, instance + "/" + id,
                    "image/jpeg", 1, "ab".repeat(32), Optional.empty(),
                    id.equals("NEW1") ? before.plusSeconds(1) : before.minusSeconds(10)));
        }
        // a send whose file was staged and which still waits on the queue keeps it
        db.messages().queue().enqueue(instance, ponte.domain.message.Jid.phone("5511987650001"),
                new ponte.domain.message.MessageId("QUEUED"), new ponte.application.port.out.OutgoingQueue.Send(
                        "x", false, Optional.empty(), java.util.List.of(), java.util.List.of()), NOW);

        var old = records.storedBefore(before, 100).stream().filter(o -> o.record().instanceId().equals(instance))
                .toList();
        assertThat(old).extracting(o -> o.record().messageId()).containsExactly("OLD1");
        assertThat(old.getFirst().tenantId()).isNotNull();
        assertThat(records.ofInstance(instance, 10)).extracting(MediaRecord::messageId)
                .containsExactlyInAnyOrder("OLD1", "QUEUED", "NEW1");
        assertThat(records.ofInstance(instance, 2)).hasSize(2);
    }

    @Test
    void aStagedVoiceNoteKeepsItsDurationAndWaveformAndAStagedPdfItsPages() {
        var json = new MessageJson(new com.fasterxml.jackson.databind.ObjectMapper());
        byte[] bars = new byte[64];
        java.util.Arrays.fill(bars, (byte) 70);
        var voice = new ponte.application.port.out.MessagingPort.WireContent.StagedMedia(
                ponte.application.port.out.MediaTransferPort.MediaKind.AUDIO, "audio/ogg; codecs=opus",
                Optional.empty(), Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                true, false, false, Optional.empty(), java.util.OptionalInt.of(3), Optional.of(bars),
                java.util.OptionalInt.empty());
        var pdf = new ponte.application.port.out.MessagingPort.WireContent.StagedMedia(
                ponte.application.port.out.MediaTransferPort.MediaKind.DOCUMENT, "application/pdf",
                Optional.empty(), Optional.of("a.pdf"), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                false, false, false, Optional.empty(), java.util.OptionalInt.empty(), Optional.empty(),
                java.util.OptionalInt.of(12));

        var voiceBack = (ponte.application.port.out.MessagingPort.WireContent.StagedMedia) json.send(json.write(
                new ponte.application.port.out.OutgoingQueue.Send(voice, Optional.empty(), java.util.List.of(),
                        java.util.List.of()))).content();
        var pdfBack = (ponte.application.port.out.MessagingPort.WireContent.StagedMedia) json.send(json.write(
                new ponte.application.port.out.OutgoingQueue.Send(pdf, Optional.empty(), java.util.List.of(),
                        java.util.List.of()))).content();

        assertThat(voiceBack.durationS()).hasValue(3);
        assertThat(voiceBack.waveform()).get().isEqualTo(bars);
        assertThat(voiceBack.pageCount()).isEmpty();
        assertThat(pdfBack.pageCount()).hasValue(12);
        assertThat(pdfBack.waveform()).isEmpty();
        // and what the uploaded message then carries
        var ref = new ponte.application.port.out.MediaTransferPort.MediaRef("/v/x", Optional.empty(), new byte[32],
                new byte[32], new byte[32], 10);
        assertThat(voiceBack.uploaded(ref).durationS()).hasValue(3);
        assertThat(pdfBack.uploaded(ref).pageCount()).hasValue(12);
    }

    @Test
    void aStoredMessageReadsBackWithItsWaveformAndPageCount() {
        var json = new MessageJson(new com.fasterxml.jackson.databind.ObjectMapper());
        byte[] bars = new byte[64];
        java.util.Arrays.fill(bars, (byte) 33);
        var info = ponte.domain.message.MediaInfo.of("audio/ogg; codecs=opus").withExtras(
                ponte.domain.message.Waveform.received(bars), java.util.OptionalInt.of(4));
        var message = new ponte.domain.message.Message(new ponte.domain.message.MessageId("3EB0WAVE"),
                ponte.domain.message.Jid.phone("5511987650002"), false, new ponte.domain.message.Sender(
                Optional.of(ponte.domain.message.Jid.phone("5511987650002")), Optional.empty(), Optional.empty()),
                NOW, ponte.domain.message.MessageStatus.DELIVERED, new ponte.domain.message.Message.Media(
                ponte.domain.message.MediaType.AUDIO, info, Optional.empty(), false), Optional.empty(),
                java.util.List.of(), Optional.empty(), false);

        var back = json.message(json.write(message.wireForm()), ponte.domain.message.MessageStatus.DELIVERED,
                "5511987650002@s.whatsapp.net");

        var media = ((ponte.domain.message.Message.Media) back.body()).media();
        assertThat(media.waveform()).isEqualTo(info.waveform());
        assertThat(media.pageCount()).hasValue(4);
    }

    private static UUID instance() {
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("i" + tenant.id()
                .toString().substring(0, 8)), Map.of(), NOW).instance();
        db.instances().insert(instance);
        return instance.id();
    }
}
