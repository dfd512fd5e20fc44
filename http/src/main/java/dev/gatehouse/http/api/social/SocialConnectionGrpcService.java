package dev.gatehouse.http.api.social;

import com.google.protobuf.Empty;
import dev.gatehouse.core.social.SocialConnectionInput;
import dev.gatehouse.core.social.SocialConnectionService;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.ProtoTimestamps;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.oauth.federation.SocialLogins;
import dev.gatehouse.proto.social.DeleteSocialConnectionRequest;
import dev.gatehouse.proto.social.GetSocialConnectionRequest;
import dev.gatehouse.proto.social.ListSocialConnectionsRequest;
import dev.gatehouse.proto.social.ListSocialConnectionsResponse;
import dev.gatehouse.proto.social.PutSocialConnectionRequest;
import dev.gatehouse.proto.social.SocialConnection;
import dev.gatehouse.proto.social.SocialConnectionServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** {@code gatehouse.v1.social.SocialConnectionService}: an environment's social login settings (REST by transcoding). */
public final class SocialConnectionGrpcService extends SocialConnectionServiceGrpc.SocialConnectionServiceImplBase {
    private final SocialConnectionService connections;

    public SocialConnectionGrpcService(SocialConnectionService connections) {
        this.connections = connections;
    }

    @Override
    public void listSocialConnections(ListSocialConnectionsRequest request,
                                      StreamObserver<ListSocialConnectionsResponse> observer) {
        Rpc.respond(observer, () -> {
            ListSocialConnectionsResponse.Builder response = ListSocialConnectionsResponse.newBuilder();
            connections.list(Caller.current().environmentId()).forEach(c -> response.addConnections(toProto(c)));
            return response.build();
        });
    }

    @Override
    public void getSocialConnection(GetSocialConnectionRequest request, StreamObserver<SocialConnection> observer) {
        Rpc.respond(observer, () -> toProto(connections.get(Caller.current().environmentId(), request.getProvider())));
    }

    @Override
    public void putSocialConnection(PutSocialConnectionRequest request, StreamObserver<SocialConnection> observer) {
        Rpc.respond(observer, () -> {
            SocialConnection in = request.getConnection();
            return toProto(connections.put(Caller.current().environmentId(), new SocialConnectionInput(
                    request.getProvider(), in.getClientId(), present(in.getClientSecret()), in.getScopesList(),
                    present(in.getAuthorizeUrl()), present(in.getTokenUrl()), present(in.getProfileUrl()),
                    in.getEnabled())));
        });
    }

    @Override
    public void deleteSocialConnection(DeleteSocialConnectionRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            connections.delete(Caller.current().environmentId(), request.getProvider());
            return Empty.getDefaultInstance();
        });
    }

    private static Optional<String> present(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static SocialConnection toProto(dev.gatehouse.core.social.SocialConnection c) {
        return SocialConnection.newBuilder()
                .setProvider(c.provider().wire())
                .setClientId(c.clientId())
                .addAllScopes(c.effectiveScopes())
                .setAuthorizeUrl(c.effectiveAuthorizeUrl())
                .setTokenUrl(c.effectiveTokenUrl())
                .setProfileUrl(c.effectiveProfileUrl())
                .setEnabled(c.enabled())
                .setRedirectUri(SocialLogins.redirectUri(Caller.current().environment().issuerUrl(), c.provider().wire()))
                .setClientSecretSet(true)
                .setCreateTime(ProtoTimestamps.of(c.createTime()))
                .setUpdateTime(ProtoTimestamps.of(c.updateTime()))
                .build();
    }
}
