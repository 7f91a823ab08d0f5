package ponte.application.service;

import java.util.Optional;
import ponte.application.error.NotFoundException;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxPhone;
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.out.SandboxPort;
import ponte.domain.validation.ValidationException;

/** The sandbox network for the operator; its answers are copied from the out-port's records into the core's model. */
final class SandboxService implements SandboxUseCase {
    private final Optional<SandboxPort> sandbox;

    SandboxService(Optional<SandboxPort> sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public SandboxInfo info() {
        var info = network().info().orElseThrow(SandboxService::absent);
        return new SandboxInfo(info.wsUrl(), info.rootPublicKey());
    }

    @Override
    public SandboxPhone createPhone(String phoneNumber, String pushName) {
        var phone = network().createPhone(required("phone_number", phoneNumber), pushName == null ? "" : pushName);
        return new SandboxPhone(phone.phoneNumber(), phone.pushName(), phone.lid());
    }

    @Override
    public SandboxLinkedDevice scan(String phoneNumber, String qr) {
        return device(network().scan(required("phone", phoneNumber), required("qr", qr)));
    }

    @Override
    public java.util.List<SandboxLinkedDevice> devices(String phoneNumber) {
        var network = network();
        if (network.phones().stream().noneMatch(phone -> phone.phoneNumber().equals(phoneNumber))) {
            throw new NotFoundException("no virtual phone " + phoneNumber);
        }
        return network.devices(phoneNumber).stream().map(SandboxService::device).toList();
    }

    @Override
    public SandboxLinkedDevice linkCode(String phoneNumber, String code) {
        return device(network().linkCode(required("phone", phoneNumber), required("code", code)));
    }

    private static SandboxLinkedDevice device(SandboxPort.SandboxLinkedDevice device) {
        return new SandboxLinkedDevice(device.phoneNumber(), device.device(), device.jid(), device.lid(),
                device.platform(), device.linkedAt());
    }

    private SandboxPort network() {
        return sandbox.orElseThrow(SandboxService::absent);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ValidationException.of(field, "is required");
        }
        return value.strip();
    }

    private static NotFoundException absent() {
        return new NotFoundException("this gateway talks to WhatsApp, not to a sandbox: start it with "
                + "PONTE_WHATSAPP=sandbox to simulate the network");
    }
}
