"""Demo and benchmark data: the seed's world (``seed_demo``) and N realistic ideas
(``seed_bench``). It seeds every app, so it sits at the top of the house beside the
overview pages; no app imports it."""
