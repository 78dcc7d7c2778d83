#include "automation/vocabulary.h"

namespace orchard::automation {
static_assert(EnumTraits<TriggerKind>::kNames.size() == 19);
static_assert(EnumTraits<ActionKind>::kNames.size() == 7);
}  // namespace orchard::automation
