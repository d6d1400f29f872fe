"""The few messages a channel sends by itself, without asking the assistant.

Each has an id (for clinical review) and may use ``{clinic_phone}`` and
``{emergency_number}`` from ``clinic.yml``. :data:`TEXTS_AR` has the Arabic text of each
(awaiting native-speaker and medical review), sent when the conversation is in Arabic.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, Optional

TEXTS: Dict[str, str] = {
    # channel_image_received: a patient sent a photo; staff see it, the bot never reads it.
    "channel_image_received": (
        "Thank you, we have received your photo. The assistant does not look at photos, "
        "so a member of our clinical team will review it and get back to you. If you have "
        "spreading redness, fever, pus or swelling that is getting worse, please call us now "
        "on {clinic_phone}; for trouble breathing or throat swelling call {emergency_number}."
    ),
    # channel_unsupported: stickers, reactions, locations, voice notes, documents.
    "channel_unsupported": (
        "Sorry, I can only read text messages and button replies here. Please type your "
        "question, or call us on {clinic_phone}."
    ),
    # channel_too_long: a message over the size limit.
    "channel_too_long": "That message is too long for me to read. Could you send a shorter one?",
    # channel_slow_down: the web widget's rate limit.
    "channel_slow_down": "You are sending messages very quickly. Please wait a moment and try again.",
    # channel_unavailable: the assistant failed to answer (a database, Redis or the action
    # server is down); the message itself is kept whenever the conversation store is up.
    "channel_unavailable": (
        "Sorry, I can't answer properly just now because of a technical problem on our side. "
        "Please try again in a few minutes, or call us on {clinic_phone}. If you have spreading "
        "redness, fever, pus or swelling that is getting worse, please call us now; for trouble "
        "breathing or throat swelling call {emergency_number}."
    ),
    # channel_choose: body of a button message whose text was empty.
    "channel_choose": "Please choose one of these options:",
    # channel_reply_with_number: footer of numbered choices on Twilio.
    "channel_reply_with_number": "Reply with the number of your choice.",
    # channel_list_button: label of the WhatsApp list button (20 characters at most).
    "channel_list_button": "See options",
}


TEXTS_AR: Dict[str, str] = {
    "channel_image_received": (
        "شكرًا، وصلتنا صورتك. المساعد الآلي لا يطّلع على الصور، لذلك سيراجعها أحد أفراد فريقنا "
        "الطبي ويعود إليك. إذا كان لديك احمرار ينتشر أو حرارة أو صديد أو تورّم يزداد، فاتصل بنا الآن "
        "على {clinic_phone}؛ ولصعوبة التنفس أو تورّم الحلق اتصل بالرقم {emergency_number}."
    ),
    "channel_unsupported": (
        "عذرًا، أستطيع هنا قراءة الرسائل النصية والردود بالأزرار فقط. اكتب سؤالك من فضلك، "
        "أو اتصل بنا على {clinic_phone}."
    ),
    "channel_too_long": "هذه الرسالة أطول من أن أقرأها. هل يمكنك إرسال رسالة أقصر؟",
    "channel_slow_down": "ترسل الرسائل بسرعة كبيرة. انتظر قليلًا من فضلك ثم حاول مرة أخرى.",
    "channel_unavailable": (
        "عذرًا، لا أستطيع الرد كما يجب الآن بسبب مشكلة تقنية لدينا. حاول مرة أخرى بعد دقائق، "
        "أو اتصل بنا على {clinic_phone}. إذا كان لديك احمرار ينتشر أو حرارة أو صديد أو تورّم يزداد، "
        "فاتصل بنا الآن؛ ولصعوبة التنفس أو تورّم الحلق اتصل بالرقم {emergency_number}."
    ),
    "channel_choose": "اختر من فضلك أحد هذه الخيارات:",
    "channel_reply_with_number": "أرسل رقم اختيارك.",
    "channel_list_button": "الخيارات",
}


@lru_cache(maxsize=1)
def _values() -> Dict[str, str]:
    try:
        from clinic.facts import load_facts
        from clinic.settings import get_settings

        facts = load_facts(get_settings().clinic_file)
        return {"clinic_phone": facts.phone, "emergency_number": facts.emergency_number}
    except Exception:  # facts unreadable: still answer, with neutral wording
        return {"clinic_phone": "the clinic's number", "emergency_number": "998"}


def text(key: str, language: Optional[str] = None) -> str:
    """The message ``key`` with clinic facts filled in, in Arabic when ``language`` is ``ar``."""
    texts = TEXTS_AR if language == "ar" else TEXTS
    return texts[key].format(**_values())
