"""Arabic function words that carry no meaning a reader searches for.

They are written in their dictionary spelling (hamza, alef maksura, teh
marbuta intact) plus the spellings readers commonly type, and they are
checked *before* folding: folded, "على" (on) and "علي" (the name Ali) would
be one word, and Ali must stay searchable. Only tashkeel, tatweel and
invisible controls are removed before the check (see ``analyze``).
"""

# Prepositions and particles, with the bare-alef spellings readers type.
_PARTICLES = """
و في من على إلى الى عن مع منذ حتى لدى نحو عبر ضد خلال بين حول دون عند
أن إن ان لأن لان كأن لكن بل ثم أو او أم ام إذ اذ إذا اذا لو لولا
قد لقد لم لن لا ما ماذا لماذا متى كيف أين اين هل كي لكي سوف إلا الا إما اما
"""

# Pronouns, demonstratives and relatives.
_PRONOUNS = """
هو هي هم هن هما أنا انا نحن أنت انت أنتم انتم
هذا هذه هذان هاتان هؤلاء هولاء ذلك تلك أولئك اولئك هنا هناك هنالك
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي
"""

# The commonest of them with a clitic attached ("وفي", "ومن").
_WITH_CLITICS = """
وفي ومن وعلى وإلى والى وعن ومع وأن وان وإن ولا ولم ولن وما وقد وهو وهي وهم
فإن فان فقد فلا فما بأن بان كما لما بما مما عما فيما وفيما
وهذا وهذه وذلك وتلك والذي والتي والذين
"""

# Auxiliaries and quantifiers that every news story repeats.
_AUXILIARIES = """
كان كانت كانوا يكون تكون يكن ليس ليست
كل بعض غير أي اي أيضا ايضا كذلك فقط جدا
"""

ARABIC_STOPWORDS = frozenset(
    word for block in (_PARTICLES, _PRONOUNS, _WITH_CLITICS, _AUXILIARIES) for word in block.split()
)
