package ponte.application.service;

import java.util.Optional;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.out.SandboxPort;
import ponte.application.port.out.SandboxPort.SandboxInfo;
import ponte.application.port.out.SandboxPort.SandboxLinkedDevice;
import ponte.application.port.out.SandboxPort.SandboxPhone;
import ponte.domain.validation.ValidationException;

final class SandboxService implements SandboxUseCase {
    private final Optional<SandboxPort> sandbox;

    SandboxService(Optional<SandboxPort> sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public SandboxInfo info() {
        return network().info().orElseThrow(SandboxService::absent);
    }

    @Override
    public SandboxPhone createPhone(String phoneNumber, String pushName) {
        return network().createPhone(required("phone_number", phoneNumber), pushName == null ? "" : pushName);
    }

    @Override
    public SandboxLinkedDevice scan(String phoneNumber, String qr) {
        return network().scan(required("phone", phoneNumber), required("qr", qr));
    }

    @Override
    public java.util.List<SandboxLinkedDevice> devices(String phoneNumber) {
        var network = network();
        if (network.phones().stream().noneMatch(phone -> phone.phoneNumber().equals(phoneNumber))) {
            throw new NotFoundException("no virtual phone " + phoneNumber);
        }
        return network.devices(phoneNumber);
    }

    @Override
    public SandboxLinkedDevice linkCode(String phoneNumber, String code) {
        return network().linkCode(required("phone", phoneNumber), required("code", code));
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
