package ponte.bootstrap;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.archfixture.CodecReadingTheDomain;
import ponte.adapters.whatsapp.client.archfixture.ClientCallingTheEngine;
import ponte.adapters.whatsapp.crypto.archfixture.PrimitiveUsingTheCipherPort;
import ponte.adapters.whatsapp.engine.archfixture.EngineBuildingItsFactory;
import ponte.adapters.whatsapp.sandbox.archfixture.SandboxDrivingTheEngine;
import ponte.adapters.whatsapp.socket.archfixture.SocketAskingTheEngine;
import ponte.adapters.whatsapp.store.archfixture.StoreAskingTheEngine;
import ponte.adapters.whatsapp.wiring.archfixture.WiringUsingTheEngine;

/**
 * The layers inside the WhatsApp adapter, bottom up: {@code binary} (the node codec) and {@code crypto} (the
 * primitives) stand alone; {@code socket} (WebSocket, Noise, proxies) sits on {@code crypto} and the generated
 * {@code proto}; the companion's {@code store} on {@code crypto}; {@code client} on all of those; {@code engine} on
 * {@code client}; {@code wiring} builds everything and nothing imports it. The {@code sandbox} is the server's side
 * and shares only the codec, the primitives and the socket with the companion, never its client, engine or store.
 * Each rule is shown to fail on a fixture class (test sources only) that breaks it.
 */
class WhatsAppLayersTest {
    private static final String WA = "ponte.adapters.whatsapp.";
    private static final String BINARY = WA + "binary..";
    private static final String CRYPTO = WA + "crypto..";
    private static final String PROTO = WA + "proto..";
    private static final String SOCKET = WA + "socket..";
    private static final String STORE = WA + "store..";
    private static final String CLIENT = WA + "client..";
    private static final String ENGINE = WA + "engine..";
    private static final String SANDBOX = WA + "sandbox..";
    private static final String WIRING = WA + "wiring..";

    static final ArchRule BINARY_IMPORTS_NOTHING_OF_OURS = noClasses().that().resideInAPackage(BINARY)
            .should().dependOnClassesThat(resideInAPackage("ponte..").and(resideOutsideOfPackages(BINARY)))
            .because("the node codec is a leaf: anything of ours it needs would drag the layers above into it");

    static final ArchRule CRYPTO_IMPORTS_NOTHING_OF_OURS = noClasses().that().resideInAPackage(CRYPTO)
            .should().dependOnClassesThat(resideInAPackage("ponte..").and(resideOutsideOfPackages(CRYPTO)))
            .because("the primitives are a leaf, tested on their own against published vectors");

    static final ArchRule SOCKET_SITS_ON_CRYPTO_AND_PROTO = noClasses().that().resideInAPackage(SOCKET)
            .should().dependOnClassesThat(resideInAPackage("ponte..")
                    .and(resideOutsideOfPackages(SOCKET, CRYPTO, PROTO)))
            .because("the Noise socket carries frames; what they mean is decided above it");

    static final ArchRule STORE_SITS_ON_CRYPTO = noClasses().that().resideInAPackage(STORE)
            .should().dependOnClassesThat(resideInAnyPackage(SOCKET, CLIENT, ENGINE, SANDBOX, WIRING, BINARY))
            .because("what a device remembers does not depend on how it talks");

    static final ArchRule CLIENT_NEVER_REACHES_UP = noClasses().that().resideInAPackage(CLIENT)
            .should().dependOnClassesThat(resideInAnyPackage(ENGINE, SANDBOX, WIRING))
            .because("the wire client serves the engine and must work against the real network, not the sandbox");

    static final ArchRule ENGINE_NEVER_REACHES_UP = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat(resideInAnyPackage(SANDBOX, WIRING))
            .because("wiring builds the engine; the engine runs against any network");

    static final ArchRule SANDBOX_SHARES_NO_COMPANION_CODE = noClasses().that().resideInAPackage(SANDBOX)
            .should().dependOnClassesThat(resideInAnyPackage(CLIENT, ENGINE, STORE, WIRING))
            .because("a simulated server that runs the client's own code cannot catch the client's bugs");

    static final ArchRule NO_CYCLES_BETWEEN_PACKAGES = slices().matching("ponte.adapters.whatsapp.(*)..")
            .should().beFreeOfCycles();

    private static JavaClasses production;
    private static JavaClasses violations;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ponte");
        violations = new ClassFileImporter().importClasses(CodecReadingTheDomain.class,
                PrimitiveUsingTheCipherPort.class, SocketAskingTheEngine.class, StoreAskingTheEngine.class,
                ClientCallingTheEngine.class, SandboxDrivingTheEngine.class, EngineBuildingItsFactory.class,
                WiringUsingTheEngine.class);
    }

    @Test
    void theCodecImportsNothingOfOurs() {
        BINARY_IMPORTS_NOTHING_OF_OURS.check(production);
        assertThatThrownBy(() -> BINARY_IMPORTS_NOTHING_OF_OURS.check(violations))
                .hasMessageContaining("CodecReadingTheDomain").hasMessageContaining("DisconnectReason");
    }

    @Test
    void theCryptoPrimitivesImportNothingOfOurs() {
        CRYPTO_IMPORTS_NOTHING_OF_OURS.check(production);
        assertThatThrownBy(() -> CRYPTO_IMPORTS_NOTHING_OF_OURS.check(violations))
                .hasMessageContaining("PrimitiveUsingTheCipherPort").hasMessageContaining("SecretCipher");
    }

    @Test
    void theSocketUsesOnlyCryptoAndTheProtobufMessages() {
        SOCKET_SITS_ON_CRYPTO_AND_PROTO.check(production);
        assertThatThrownBy(() -> SOCKET_SITS_ON_CRYPTO_AND_PROTO.check(violations))
                .hasMessageContaining("SocketAskingTheEngine");
    }

    @Test
    void theDeviceStoreKnowsNothingAboutTheConnection() {
        STORE_SITS_ON_CRYPTO.check(production);
        assertThatThrownBy(() -> STORE_SITS_ON_CRYPTO.check(violations)).hasMessageContaining("StoreAskingTheEngine");
    }

    @Test
    void theClientNeverUsesTheEngineTheSandboxOrTheWiring() {
        CLIENT_NEVER_REACHES_UP.check(production);
        assertThatThrownBy(() -> CLIENT_NEVER_REACHES_UP.check(violations))
                .hasMessageContaining("ClientCallingTheEngine");
    }

    @Test
    void theEngineNeverUsesTheSandboxOrTheWiring() {
        ENGINE_NEVER_REACHES_UP.check(production);
        assertThatThrownBy(() -> ENGINE_NEVER_REACHES_UP.check(violations))
                .hasMessageContaining("EngineBuildingItsFactory");
    }

    @Test
    void theSandboxSharesNoCodeWithTheCompanion() {
        SANDBOX_SHARES_NO_COMPANION_CODE.check(production);
        assertThatThrownBy(() -> SANDBOX_SHARES_NO_COMPANION_CODE.check(violations))
                .hasMessageContaining("SandboxDrivingTheEngine");
    }

    @Test
    void theAdaptersPackagesFormNoCycle() {
        NO_CYCLES_BETWEEN_PACKAGES.check(production);
        assertThatThrownBy(() -> NO_CYCLES_BETWEEN_PACKAGES.check(violations))
                .hasMessageContaining("EngineBuildingItsFactory").hasMessageContaining("WiringUsingTheEngine");
    }
}
