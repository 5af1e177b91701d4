from django.urls import path

from zhifa.record import transparency

urlpatterns = [
    path("checkpoint", transparency.checkpoint, name="transparency-checkpoint"),
    path("key", transparency.key, name="transparency-key"),
    path("proof/<int:index>", transparency.proof, name="transparency-proof"),
    path("consistency", transparency.consistency, name="transparency-consistency"),
]
